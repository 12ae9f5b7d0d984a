#include "core/engine/reorder_buffer.hpp"

#include <algorithm>
#include <bit>
#include <new>

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
  if (m_wide) {
    // A wide ring would keep the next stream off insert()'s inline path for good; ids that
    // wide never come from the harness, so the ring is given back rather than narrowed.
    m_type = ZeroedArray<std::uint8_t>();
    m_users = ZeroedArray<std::uint64_t>();
    m_capacity = 0;
    m_mask = 0;
    m_wide = false;
  } else if (m_size != m_overflow.size()) {
    // Events still in the ring (a stream dropped without drain_all).
    m_users.zero();
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
  if (distance < m_capacity || grow_to_fit(distance)) {
    return put_in_ring(index_of(event.seq), event);
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

Event ReorderBuffer::at(std::size_t index, std::uint64_t seq) const {
  if (m_wide) {
    return Event{seq, static_cast<LikeType>(m_type[index]), m_users[2 * index],
                 m_users[2 * index + 1]};
  }
  const std::uint64_t word = m_users[index];
  return Event{seq, static_cast<LikeType>(word >> k_type_shift), (word >> 31) & k_id_mask,
               word & k_id_mask};
}

ReorderBuffer::Insert ReorderBuffer::put_in_ring(std::size_t index, const Event& event) {
  if (occupied(index)) {
    return at(index, event.seq) == event ? Insert::duplicate_identical
                                         : Insert::duplicate_conflicting;
  }
  store(index, event.from, event.to, event.type);
  ++m_size;
  return Insert::accepted;
}

void ReorderBuffer::store(std::size_t index, std::uint64_t from, std::uint64_t to, LikeType type) {
  if (!m_wide && is_wide(from, to)) {
    reallocate(m_capacity, true);
  }
  if (m_wide) {
    m_users[2 * index] = from;
    m_users[2 * index + 1] = to;
    m_type[index] = static_cast<std::uint8_t>(type);
  } else {
    m_users[index] = pack(Event{0, type, from, to});
  }
}

bool ReorderBuffer::grow_to_fit(std::uint64_t distance) {
  const std::size_t limit = std::max(k_min_capacity, k_max_slack * (m_size + 1));
  if (distance >= limit) {
    return false;
  }
  // Doubling at least: each event is moved O(1) times on average.
  const std::size_t capacity = std::max(
      {std::bit_ceil(static_cast<std::size_t>(distance) + 1), 2 * m_capacity, k_min_capacity});
  if (capacity > std::max(k_min_capacity, limit)) {
    return false;
  }
  reallocate(capacity, m_wide);
  pull_from_overflow();
  return true;
}

void ReorderBuffer::reallocate(std::size_t capacity, bool wide) {
  capacity = std::max(capacity, k_min_capacity);
  if (wide == m_wide && m_capacity != 0) {
    grow_in_place(capacity);
    return;
  }
  ZeroedArray<std::uint64_t> users((wide ? 2 : 1) * capacity);
  ZeroedArray<std::uint8_t> type(wide ? capacity : 0);
  const std::size_t mask = capacity - 1;
  // Every buffered event in the ring lies in [m_next, m_next + m_capacity).
  for (std::size_t i = 0; i < m_capacity; ++i) {
    const std::uint64_t seq = m_next + i;
    const std::size_t old = index_of(seq);
    if (!occupied(old)) {
      continue;
    }
    const Event event = at(old, seq);
    const std::size_t index = static_cast<std::size_t>(seq) & mask;
    if (wide) {
      users[2 * index] = event.from;
      users[2 * index + 1] = event.to;
      type[index] = static_cast<std::uint8_t>(event.type);
    } else {
      users[index] = pack(event);
    }
  }
  m_users = std::move(users);
  m_type = std::move(type);
  m_capacity = capacity;
  m_mask = mask;
  m_wide = wide;
}

// Growing into fresh memory touched every page twice over the run (the new ring, and the
// old ones before it), and first touch costs about 0.7 ms per MB on these machines: the
// arrays are extended in place instead, and each event whose slot `seq & mask` changed moves
// up into the new, zeroed part (10M shuffled events: 1.4 -> 1.03 s task-clock).
void ReorderBuffer::grow_in_place(std::size_t capacity) {
  const std::size_t old_capacity = m_capacity;
  const std::size_t old_mask = m_mask;
  const std::size_t words = m_wide ? 2 : 1;
  m_users.grow(words * capacity);
  if (m_wide) {
    m_type.grow(capacity);
  }
  m_capacity = capacity;
  m_mask = capacity - 1;
  for (std::size_t i = 0; i < old_capacity; ++i) {
    if (!occupied(i)) {
      continue;
    }
    // The one buffered sequence number in [m_next, m_next + old_capacity) that sat at i.
    const std::uint64_t seq = m_next + ((i - m_next) & old_mask);
    const std::size_t index = index_of(seq);
    if (index == i) {
      continue;
    }
    for (std::size_t w = 0; w < words; ++w) {
      m_users[words * index + w] = m_users[words * i + w];
    }
    if (m_wide) {
      m_type[index] = m_type[i];
      m_type[i] = 0;
    } else {
      m_users[i] = 0;
    }
  }
}

void ReorderBuffer::pull_from_overflow() {
  while (!m_overflow.empty()) {
    const auto it = m_overflow.begin();
    const std::uint64_t distance = it->first - m_next;
    if (distance >= m_capacity) {
      return;
    }
    store(index_of(it->first), it->second.from, it->second.to, it->second.type);
    m_overflow.erase(it);
  }
}

}  // namespace likematch
