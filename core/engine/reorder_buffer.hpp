#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

#include "core/engine/event.hpp"
#include "core/engine/prefetch.hpp"
#include "core/engine/zeroed_array.hpp"

namespace likematch {

// Holds events that arrived before some smaller sequence number and hands them out in order.
//
// Events near the next expected sequence number sit in a dense ring indexed by sequence
// number (slot `seq & mask`: placing an event is O(1), draining is a linear scan). The ring's
// size is a power of two that only grows to a bounded multiple of the number of buffered
// events, so a sequence number far ahead (say 2^64-1) cannot make it allocate for the
// distance: such events wait in a small ordered overflow and move into the ring when the
// window reaches them.
class ReorderBuffer {
 public:
  enum class Insert {
    accepted,
    duplicate_identical,    // same sequence number and content as a buffered event
    duplicate_conflicting,  // same sequence number as a buffered event, other content
    late,                   // below the next expected sequence number: already decided
  };

  // Sequence numbers start at `first` (1 for the harness).
  explicit ReorderBuffer(std::uint64_t first = 1);

  Insert insert(const Event& event);
  // A hint that insert() of `seq` follows soon: starts loading its slot, if in the ring.
  void prefetch(std::uint64_t seq) const {
    const std::uint64_t distance = seq - m_next;
    if (distance < m_capacity) {
      likematch::prefetch(&m_users[m_wide ? 2 * index_of(seq) : index_of(seq)]);
    }
  }

  // Hands out, in order, every event whose predecessors have all been handed out.
  template <typename OnEvent>
  void drain_ready(OnEvent&& on_event);

  // End of input: hands out everything still buffered, in order, skipping the missing
  // sequence numbers and reporting each run of them as on_gap(first, last), inclusive.
  template <typename OnEvent, typename OnGap>
  void drain_all(OnEvent&& on_event, OnGap&& on_gap);

  // Back to the state of ReorderBuffer(first), keeping the ring's allocation for another
  // stream: after drain_all the ring is already empty and this costs nothing.
  void clear(std::uint64_t first = 1);

  std::uint64_t next_seq() const { return m_next; }
  std::size_t size() const { return m_size; }
  std::size_t capacity() const { return m_capacity; }
  // The ring's allocation (the overflow is small and not counted).
  std::size_t memory_bytes() const { return m_type.bytes() + m_users.bytes(); }

 private:
  struct Slot {
    std::uint64_t from;
    std::uint64_t to;
    LikeType type;
  };

  std::size_t index_of(std::uint64_t seq) const { return static_cast<std::size_t>(seq) & m_mask; }
  static bool is_wide(std::uint64_t from, std::uint64_t to) { return ((from | to) >> 31) != 0; }
  static std::uint64_t pack(const Event& event) {
    return std::uint64_t{static_cast<std::uint8_t>(event.type)} << k_type_shift | event.from << 31 |
           event.to;
  }
  bool occupied(std::size_t index) const {
    return m_wide ? m_type[index] != 0 : m_users[index] != 0;
  }
  // The event held in slot `index`, which is occupied by sequence number `seq`.
  Event at(std::size_t index, std::uint64_t seq) const;
  Insert insert_slow(const Event& event);
  Insert put_in_ring(std::size_t index, const Event& event);
  void store(std::size_t index, std::uint64_t from, std::uint64_t to, LikeType type);
  Event take(std::size_t index);
  bool grow_to_fit(std::uint64_t distance);
  void reallocate(std::size_t capacity, bool wide);
  void grow_in_place(std::size_t capacity);
  void pull_from_overflow();

  std::uint64_t m_next;
  // Set once 2^64-1 has been handed out: m_next has wrapped and every later event is late.
  bool m_exhausted = false;
  std::size_t m_size = 0;
  std::size_t m_capacity = 0;  // 0 or a power of two
  std::size_t m_mask = 0;
  // The ring. While every user id fits in 31 bits (always, with the harness), one word per
  // slot holds the whole event but its sequence number: type << 62 | from << 31 | to, 0 for
  // an empty slot. Placing a shuffled event is then one cache miss, where a separate type
  // array made it two, and 10M buffered events take 8 bytes each. The first wider id
  // switches the ring, once, to two words per slot and a type array beside them.
  static constexpr int k_type_shift = 62;
  static constexpr std::uint64_t k_id_mask = (std::uint64_t{1} << 31) - 1;
  ZeroedArray<std::uint64_t> m_users;
  ZeroedArray<std::uint8_t> m_type;  // wide only: LikeType, 0: empty
  bool m_wide = false;
  std::map<std::uint64_t, Slot> m_overflow;
};

// The common cases inline, for the engine's loop: an event for an empty slot of the ring, and
// handing one out. The calls were 13% of replay's instructions.
inline ReorderBuffer::Insert ReorderBuffer::insert(const Event& event) {
  const std::uint64_t distance = event.seq - m_next;
  if (event.seq >= m_next && distance < m_capacity && !m_exhausted && !m_wide &&
      !is_wide(event.from, event.to)) {
    const std::size_t index = index_of(event.seq);
    if (m_users[index] == 0) {
      m_users[index] = pack(event);
      ++m_size;
      return Insert::accepted;
    }
  }
  return insert_slow(event);
}

inline Event ReorderBuffer::take(std::size_t index) {
  Event event;
  if (m_wide) {
    event = at(index, m_next);
    m_type[index] = 0;
  } else {
    const std::uint64_t word = m_users[index];
    event = Event{m_next, static_cast<LikeType>(word >> k_type_shift), (word >> 31) & k_id_mask,
                  word & k_id_mask};
    m_users[index] = 0;
  }
  --m_size;
  if (m_next == UINT64_MAX) {
    m_exhausted = true;
  }
  ++m_next;
  return event;
}

template <typename OnEvent>
void ReorderBuffer::drain_ready(OnEvent&& on_event) {
  if (m_capacity == 0) {
    return;
  }
  while (occupied(index_of(m_next))) {
    on_event(take(index_of(m_next)));
    if (!m_overflow.empty()) {
      pull_from_overflow();
    }
  }
}

template <typename OnEvent, typename OnGap>
void ReorderBuffer::drain_all(OnEvent&& on_event, OnGap&& on_gap) {
  while (m_size != 0) {
    drain_ready(on_event);
    if (m_size == 0) {
      break;
    }
    // m_next is missing: skip to the smallest buffered sequence number.
    std::uint64_t distance = 0;
    if (m_size != m_overflow.size()) {
      while (!occupied(index_of(m_next + distance))) {
        ++distance;
      }
    } else {
      distance = m_overflow.begin()->first - m_next;
    }
    on_gap(m_next, m_next + distance - 1);
    m_next += distance;
    if (m_capacity == 0) {
      // Only far-ahead events ever came: there is no ring yet for them to move into.
      reallocate(1, false);
    }
    pull_from_overflow();
  }
}

}  // namespace likematch
