#include "core/pair_table.hpp"

#include <utility>

namespace likematch {

namespace {

constexpr std::size_t k_initial_capacity = 1024;

}  // namespace

PairTable::PairTable()
    : m_mask(k_initial_capacity - 1), m_entries(std::make_unique<Entry[]>(k_initial_capacity)) {}

PairState* PairTable::find(std::uint64_t from, std::uint64_t to) {
  for (std::size_t i = home_of(from, to);; i = (i + 1) & m_mask) {
    Entry& entry = m_entries[i];
    if (!entry.used) {
      return nullptr;
    }
    if (entry.from == from && entry.to == to) {
      return &entry.state;
    }
  }
}

PairState& PairTable::find_or_insert(std::uint64_t from, std::uint64_t to) {
  // Keep the load at most 1/2 so that probe sequences stay short.
  if (2 * (m_size + 1) > m_mask + 1) {
    grow();
  }
  for (std::size_t i = home_of(from, to);; i = (i + 1) & m_mask) {
    Entry& entry = m_entries[i];
    if (!entry.used) {
      entry = Entry{from, to, PairState{}, true};
      ++m_size;
      return entry.state;
    }
    if (entry.from == from && entry.to == to) {
      return entry.state;
    }
  }
}

void PairTable::grow() {
  const std::size_t old_capacity = m_mask + 1;
  auto old = std::exchange(m_entries, std::make_unique<Entry[]>(2 * old_capacity));
  m_mask = 2 * old_capacity - 1;
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (!old[i].used) {
      continue;
    }
    std::size_t j = home_of(old[i].from, old[i].to);
    while (m_entries[j].used) {
      j = (j + 1) & m_mask;
    }
    m_entries[j] = old[i];
  }
}

}  // namespace likematch
