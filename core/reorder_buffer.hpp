#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "core/event.hpp"

namespace likematch {

// Holds events that arrived before some smaller sequence number and hands them out in order.
//
// Events near the next expected sequence number sit in a dense ring indexed by sequence
// number (placing an event is O(1), draining is a linear scan). The ring only grows to a size
// proportional to the number of buffered events, so a sequence number far ahead (say 2^64-1)
// cannot make it allocate for the distance: such events wait in a small ordered overflow and
// move into the ring when the window reaches them.
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

  // Hands out, in order, every event whose predecessors have all been handed out.
  template <typename OnEvent>
  void drain_ready(OnEvent&& on_event);

  // End of input: hands out everything still buffered, in order, skipping the missing
  // sequence numbers and reporting each run of them as on_gap(first, last), inclusive.
  template <typename OnEvent, typename OnGap>
  void drain_all(OnEvent&& on_event, OnGap&& on_gap);

  std::uint64_t next_seq() const { return m_next; }
  std::size_t size() const { return m_size; }
  std::size_t capacity() const { return m_capacity; }

 private:
  struct Slot {
    std::uint64_t from;
    std::uint64_t to;
    LikeType type;
  };

  std::size_t index_of(std::uint64_t distance) const {
    std::size_t index = m_head + static_cast<std::size_t>(distance);
    return index >= m_capacity ? index - m_capacity : index;
  }
  Insert put_in_ring(std::size_t index, const Event& event);
  bool grow_to_fit(std::uint64_t distance);
  void pull_from_overflow();
  Event take(std::size_t index);

  std::uint64_t m_next;
  // Set once 2^64-1 has been handed out: m_next has wrapped and every later event is late.
  bool m_exhausted = false;
  std::size_t m_size = 0;
  // The ring: struct of arrays so that a scan for the next event touches only the types.
  std::size_t m_capacity = 0;
  std::size_t m_head = 0;  // index of m_next
  std::unique_ptr<std::uint64_t[]> m_from;
  std::unique_ptr<std::uint64_t[]> m_to;
  std::unique_ptr<std::uint8_t[]> m_type;  // 0: empty
  std::map<std::uint64_t, Slot> m_overflow;
};

template <typename OnEvent>
void ReorderBuffer::drain_ready(OnEvent&& on_event) {
  while (m_capacity != 0 && m_type[m_head] != 0) {
    on_event(take(m_head));
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
    const std::size_t ring_left = m_size - m_overflow.size();
    if (ring_left != 0) {
      while (m_type[index_of(distance)] == 0) {
        ++distance;
      }
    } else {
      distance = m_overflow.begin()->first - m_next;
    }
    on_gap(m_next, m_next + distance - 1);
    // Advance the window by `distance` without handing anything out.
    if (distance >= m_capacity) {
      m_head = 0;
    } else {
      m_head = index_of(distance);
    }
    m_next += distance;
    if (m_capacity == 0) {
      // Only far-ahead events ever came: there is no ring yet for them to move into.
      grow_to_fit(0);
    }
    pull_from_overflow();
  }
}

}  // namespace likematch
