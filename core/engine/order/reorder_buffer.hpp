#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>

#include "core/engine/input/event.hpp"
#include "core/engine/order/ring_slots.hpp"

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
    if (seq - m_next < m_slots.capacity()) {
      m_slots.prefetch(index_of(seq));
    }
  }

  // Hands out, in order, every event whose predecessors have all been handed out.
  template <typename OnEvent>
  void drain_ready(OnEvent&& on_event);

  // A watermark from outside: every event up to `watermark` that will ever come has come
  // (for a partition of the pairs, the numbers it lacks are other partitions' events). Hands
  // out, in order, every buffered event up to it, skipping the missing numbers, and those
  // after it whose predecessors have all been handed out; numbers up to it are late from now.
  template <typename OnEvent>
  void drain_through(std::uint64_t watermark, OnEvent&& on_event);

  // Each run of missing sequence numbers below the largest buffered one, in order, as
  // on_gap(first, last), inclusive; nothing changes.
  template <typename OnGap>
  void for_each_gap(OnGap&& on_gap) const;

  // End of input: hands out everything still buffered, in order, skipping the missing
  // sequence numbers and reporting each run of them as on_gap(first, last), inclusive.
  template <typename OnEvent, typename OnGap>
  void drain_all(OnEvent&& on_event, OnGap&& on_gap);

  // Back to the state of ReorderBuffer(first), keeping the ring's allocation for another
  // stream: after drain_all the ring is already empty and this costs nothing.
  void clear(std::uint64_t first = 1);

  std::uint64_t next_seq() const { return m_next; }
  std::size_t size() const { return m_size; }
  std::size_t capacity() const { return m_slots.capacity(); }
  // The ring's allocation (the overflow is small and not counted).
  std::size_t memory_bytes() const { return m_slots.memory_bytes(); }

 private:
  struct Overflowed {
    std::uint64_t from;
    std::uint64_t to;
    LikeType type;
  };

  std::size_t index_of(std::uint64_t seq) const {
    return static_cast<std::size_t>(seq) & (m_slots.capacity() - 1);
  }
  Insert insert_slow(const Event& event);
  Insert put_in_ring(const Event& event);
  Event take_next();
  bool grow_to_fit(std::uint64_t distance);
  void grow(std::size_t capacity);
  void pull_from_overflow();

  std::uint64_t m_next;
  // Set once 2^64-1 has been handed out: m_next has wrapped and every later event is late.
  bool m_exhausted = false;
  std::size_t m_size = 0;
  RingSlots m_slots;  // capacity 0 or a power of two
  std::map<std::uint64_t, Overflowed> m_overflow;
};

// The common cases inline, for the engine's loop: an event for an empty slot of the ring, and
// handing one out. The calls were 13% of replay's instructions.
inline ReorderBuffer::Insert ReorderBuffer::insert(const Event& event) {
  if (event.seq >= m_next && event.seq - m_next < m_slots.capacity() && !m_exhausted &&
      m_slots.store_if_narrow_and_empty(index_of(event.seq), event)) {
    ++m_size;
    return Insert::accepted;
  }
  return insert_slow(event);
}

inline Event ReorderBuffer::take_next() {
  const std::size_t index = index_of(m_next);
  const Event event = m_slots.load(index, m_next);
  m_slots.erase(index);
  --m_size;
  if (m_next == UINT64_MAX) {
    m_exhausted = true;
  }
  ++m_next;
  return event;
}

template <typename OnEvent>
void ReorderBuffer::drain_ready(OnEvent&& on_event) {
  if (m_slots.capacity() == 0) {
    return;
  }
  while (m_slots.occupied(index_of(m_next))) {
    on_event(take_next());
    if (!m_overflow.empty()) {
      pull_from_overflow();
    }
  }
}

template <typename OnEvent>
void ReorderBuffer::drain_through(std::uint64_t watermark, OnEvent&& on_event) {
  while (!m_exhausted && m_next <= watermark) {
    drain_ready(on_event);
    if (m_exhausted || m_next > watermark) {
      return;
    }
    // m_next never comes: on to the smallest buffered number, or past the watermark.
    std::uint64_t target = watermark;
    if (m_size != m_overflow.size()) {
      std::uint64_t distance = 1;
      while (!m_slots.occupied(index_of(m_next + distance))) {
        ++distance;
      }
      target = std::min(target, m_next + distance - 1);
    } else if (!m_overflow.empty()) {
      target = std::min(target, m_overflow.begin()->first - 1);
    }
    if (target == UINT64_MAX) {
      m_exhausted = true;  // every number has come or never will
      return;
    }
    m_next = target + 1;
    if (m_slots.capacity() == 0 && !m_overflow.empty()) {
      grow(1);  // only far-ahead events came: no ring yet for them to move into
    }
    pull_from_overflow();
  }
}

template <typename OnGap>
void ReorderBuffer::for_each_gap(OnGap&& on_gap) const {
  std::uint64_t expected = m_next;  // the smallest number not yet seen as present or missing
  std::size_t in_ring = m_size - m_overflow.size();
  for (std::uint64_t seq = m_next; in_ring != 0; ++seq) {
    if (m_slots.occupied(index_of(seq))) {
      if (seq != expected) {
        on_gap(expected, seq - 1);
      }
      expected = seq + 1;
      --in_ring;
    }
  }
  for (const auto& [seq, event] : m_overflow) {
    if (seq != expected) {
      on_gap(expected, seq - 1);
    }
    expected = seq + 1;
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
      while (!m_slots.occupied(index_of(m_next + distance))) {
        ++distance;
      }
    } else {
      distance = m_overflow.begin()->first - m_next;
    }
    on_gap(m_next, m_next + distance - 1);
    m_next += distance;
    if (m_slots.capacity() == 0) {
      // Only far-ahead events ever came: there is no ring yet for them to move into.
      grow(1);
    }
    pull_from_overflow();
  }
}

}  // namespace likematch
