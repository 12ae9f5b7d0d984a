#include "core/reorder_buffer.hpp"

#include <algorithm>

namespace likematch {

namespace {

// Below this the ring never bothers to stay small: 4096 slots cost 68 KiB.
constexpr std::size_t k_min_capacity = 4096;
// The ring may be at most this many times larger than the number of buffered events, which
// bounds memory per buffered event whatever the sequence numbers say.
constexpr std::size_t k_max_slack = 4;

}  // namespace

ReorderBuffer::ReorderBuffer(std::uint64_t first) : m_next(first) {}

ReorderBuffer::Insert ReorderBuffer::insert(const Event& event) {
  if (m_exhausted || event.seq < m_next) {
    return Insert::late;
  }
  const std::uint64_t distance = event.seq - m_next;
  if (distance < m_capacity || grow_to_fit(distance)) {
    return put_in_ring(index_of(distance), event);
  }
  const auto [it, inserted] =
      m_overflow.try_emplace(event.seq, Slot{event.from, event.to, event.type});
  if (!inserted) {
    const Slot& slot = it->second;
    const bool same = slot.from == event.from && slot.to == event.to && slot.type == event.type;
    return same ? Insert::duplicate_identical : Insert::duplicate_conflicting;
  }
  ++m_size;
  return Insert::accepted;
}

ReorderBuffer::Insert ReorderBuffer::put_in_ring(std::size_t index, const Event& event) {
  if (m_type[index] != 0) {
    const bool same = m_from[index] == event.from && m_to[index] == event.to &&
                      m_type[index] == static_cast<std::uint8_t>(event.type);
    return same ? Insert::duplicate_identical : Insert::duplicate_conflicting;
  }
  m_from[index] = event.from;
  m_to[index] = event.to;
  m_type[index] = static_cast<std::uint8_t>(event.type);
  ++m_size;
  return Insert::accepted;
}

bool ReorderBuffer::grow_to_fit(std::uint64_t distance) {
  const std::size_t limit = std::max(k_min_capacity, k_max_slack * (m_size + 1));
  if (distance >= limit) {
    return false;
  }
  const std::size_t wanted = std::max(
      {static_cast<std::size_t>(distance) + 1, m_capacity + m_capacity / 2, k_min_capacity});
  const std::size_t capacity = std::min(wanted, limit);

  auto from = std::make_unique_for_overwrite<std::uint64_t[]>(capacity);
  auto to = std::make_unique_for_overwrite<std::uint64_t[]>(capacity);
  auto type = std::make_unique<std::uint8_t[]>(capacity);  // zeroed: all empty
  // Unroll the ring so that m_next sits at index 0 of the new one.
  for (std::size_t i = 0; i < m_capacity; ++i) {
    const std::size_t old = index_of(i);
    from[i] = m_from[old];
    to[i] = m_to[old];
    type[i] = m_type[old];
  }
  m_from = std::move(from);
  m_to = std::move(to);
  m_type = std::move(type);
  m_capacity = capacity;
  m_head = 0;
  pull_from_overflow();
  return true;
}

void ReorderBuffer::pull_from_overflow() {
  while (!m_overflow.empty()) {
    const auto it = m_overflow.begin();
    const std::uint64_t distance = it->first - m_next;
    if (distance >= m_capacity) {
      return;
    }
    const std::size_t index = index_of(distance);
    m_from[index] = it->second.from;
    m_to[index] = it->second.to;
    m_type[index] = static_cast<std::uint8_t>(it->second.type);
    m_overflow.erase(it);
  }
}

Event ReorderBuffer::take(std::size_t index) {
  Event event{m_next, static_cast<LikeType>(m_type[index]), m_from[index], m_to[index]};
  m_type[index] = 0;
  m_head = index + 1 == m_capacity ? 0 : index + 1;
  --m_size;
  if (m_next == UINT64_MAX) {
    m_exhausted = true;
  }
  ++m_next;
  return event;
}

}  // namespace likematch
