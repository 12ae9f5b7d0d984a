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

PairState* PairTable::find_wide(std::uint64_t from, std::uint64_t to) {
  const auto it = m_wide.find({from, to});
  return it == m_wide.end() ? nullptr : &it->second;
}

PairState& PairTable::find_or_insert_wide(std::uint64_t from, std::uint64_t to) {
  return m_wide[{from, to}];
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
