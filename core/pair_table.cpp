#include "core/pair_table.hpp"

#include <new>
#include <type_traits>

namespace likematch {

namespace {

constexpr std::size_t k_initial_capacity = 1024;

}  // namespace

PairTable::PairTable() {
  allocate(k_initial_capacity);
}

void PairTable::allocate(std::size_t capacity) {
  m_keys = ZeroedArray<std::uint64_t>(capacity);
  m_states = ZeroedArray<PairState>(capacity);
  m_mask = capacity - 1;
}

PairState* PairTable::find(std::uint64_t from, std::uint64_t to) {
  if (!is_narrow(from, to)) {
    const auto it = m_wide.find({from, to});
    return it == m_wide.end() ? nullptr : &it->second;
  }
  const std::uint64_t key = key_of(from, to);
  for (std::size_t i = home_of(key);; i = (i + 1) & m_mask) {
    if (m_keys[i] == key) {
      return &m_states[i];
    }
    if (m_keys[i] == 0) {
      return nullptr;
    }
  }
}

PairState& PairTable::find_or_insert(std::uint64_t from, std::uint64_t to) {
  if (!is_narrow(from, to)) {
    return m_wide[{from, to}];
  }
  // Keep the load at most 3/4: an unsuccessful probe then reads about 8 keys, 64 bytes.
  if (4 * (m_size + 1) > 3 * (m_mask + 1)) {
    grow();
  }
  const std::uint64_t key = key_of(from, to);
  for (std::size_t i = home_of(key);; i = (i + 1) & m_mask) {
    if (m_keys[i] == key) {
      return m_states[i];
    }
    if (m_keys[i] == 0) {
      m_keys[i] = key;
      ++m_size;
      return m_states[i];
    }
  }
}

void PairTable::grow() {
  const std::size_t old_capacity = m_mask + 1;
  auto old_keys = std::move(m_keys);
  auto old_states = std::move(m_states);
  allocate(2 * old_capacity);
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (old_keys[i] == 0) {
      continue;
    }
    std::size_t j = home_of(old_keys[i]);
    while (m_keys[j] != 0) {
      j = (j + 1) & m_mask;
    }
    m_keys[j] = old_keys[i];
    m_states[j] = old_states[i];
  }
}

}  // namespace likematch
