#include "core/engine/order/reorder_buffer.hpp"

#include <algorithm>
#include <bit>

namespace likematch {

namespace {

// Below this the ring never bothers to stay small: 4096 slots cost 32 KiB.
constexpr std::size_t k_min_capacity = 4096;
// The ring may be at most this many times larger than the number of buffered events, which
// bounds memory per buffered event whatever the sequence numbers say (at most 256 x 8 bytes,
// against about 80 for an overflow node). With a fully shuffled stream the early events land
// anywhere in 1..N while few are buffered; those beyond the ring go through the overflow
// map. Of 1M events, a slack of 4 sent 125,000 there, 16 about 30,000, 64 about 8,000:
// 712M -> 686M instructions and 116 -> 104 ms from 16 to 64; from 64 to 256, 60.5 -> 57.3 ms
// (the engine had become faster, and each node costs a malloc and cache misses).
constexpr std::size_t k_max_slack = 256;

}  // namespace

ReorderBuffer::ReorderBuffer(std::uint64_t first) : m_next(first) {}

void ReorderBuffer::clear(std::uint64_t first) {
  if (m_slots.wide()) {
    // A wide ring would keep the next stream off insert()'s inline path for good; ids that
    // wide never come from the harness, so the ring is given back rather than narrowed.
    m_slots = RingSlots();
  } else if (m_size != m_overflow.size()) {
    // Events still in the ring (a stream dropped without drain_all).
    m_slots.clear_all();
  }
  m_overflow.clear();
  m_size = 0;
  m_next = first;
  m_exhausted = false;
}

ReorderBuffer::Insert ReorderBuffer::insert_slow(const Event& event) {
  if (m_exhausted || event.seq < m_next) {
    return Insert::late;
  }
  const std::uint64_t distance = event.seq - m_next;
  if (distance < m_slots.capacity() || grow_to_fit(distance)) {
    return put_in_ring(event);
  }
  const auto [it, inserted] =
      m_overflow.try_emplace(event.seq, Overflowed{event.from, event.to, event.type});
  if (!inserted) {
    const Overflowed& kept = it->second;
    const bool same = kept.from == event.from && kept.to == event.to && kept.type == event.type;
    return same ? Insert::duplicate_identical : Insert::duplicate_conflicting;
  }
  ++m_size;
  return Insert::accepted;
}

ReorderBuffer::Insert ReorderBuffer::put_in_ring(const Event& event) {
  const std::size_t index = index_of(event.seq);
  if (m_slots.occupied(index)) {
    return m_slots.load(index, event.seq) == event ? Insert::duplicate_identical
                                                   : Insert::duplicate_conflicting;
  }
  m_slots.store(index, event);
  ++m_size;
  return Insert::accepted;
}

bool ReorderBuffer::grow_to_fit(std::uint64_t distance) {
  const std::size_t limit = std::max(k_min_capacity, k_max_slack * (m_size + 1));
  if (distance >= limit) {
    return false;
  }
  // Doubling at least: each event is moved O(1) times on average.
  const std::size_t capacity = std::max({std::bit_ceil(static_cast<std::size_t>(distance) + 1),
                                         2 * m_slots.capacity(), k_min_capacity});
  if (capacity > std::max(k_min_capacity, limit)) {
    return false;
  }
  grow(capacity);
  pull_from_overflow();
  return true;
}

// Growing into fresh memory touched every page twice over the run (the new ring, and the
// old ones before it), and first touch costs about 0.7 ms per MB on these machines: the
// arrays are extended in place instead, and each event whose slot `seq & mask` changed moves
// up into the new, zeroed part (10M shuffled events: 1.4 -> 1.03 s task-clock).
void ReorderBuffer::grow(std::size_t capacity) {
  capacity = std::max(capacity, k_min_capacity);
  const std::size_t old_capacity = m_slots.capacity();
  if (old_capacity == 0) {
    m_slots.allocate(capacity, false);
    return;
  }
  const std::size_t old_mask = old_capacity - 1;
  m_slots.grow(capacity);
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (!m_slots.occupied(i)) {
      continue;
    }
    // The one buffered sequence number in [m_next, m_next + old_capacity) that sat at i.
    const std::uint64_t seq = m_next + ((i - m_next) & old_mask);
    const std::size_t index = index_of(seq);
    if (index != i) {
      m_slots.move(i, index);
    }
  }
}

void ReorderBuffer::pull_from_overflow() {
  while (!m_overflow.empty()) {
    const auto it = m_overflow.begin();
    if (it->first - m_next >= m_slots.capacity()) {
      return;
    }
    m_slots.store(index_of(it->first),
                  Event{it->first, it->second.type, it->second.from, it->second.to});
    m_overflow.erase(it);
  }
}

}  // namespace likematch
