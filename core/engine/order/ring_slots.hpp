#pragma once

#include <cstddef>
#include <cstdint>

#include "core/engine/input/event.hpp"
#include "core/engine/input/packed_event.hpp"
#include "core/engine/memory/prefetch.hpp"
#include "core/engine/memory/zeroed_array.hpp"

namespace likematch {

// The reorder ring's storage: one event per slot, without its sequence number (the slot's
// index says it), in one of two layouts behind this one type.
//
// Narrow, while every user id fits in 31 bits (always, with the harness): one packed_event
// word per slot, 0 for an empty slot. Placing a shuffled event is then one
// cache miss, where a separate type array made it two, and 10M buffered events take 8 bytes
// each. Wide, from the first wider id on, once: two words per slot and a type array beside
// them.
class RingSlots {
 public:
  std::size_t capacity() const { return m_capacity; }
  bool wide() const { return m_wide; }
  std::size_t memory_bytes() const { return m_words.bytes() + m_types.bytes(); }

  // A fresh, empty array of `capacity` slots (the old contents are dropped).
  void allocate(std::size_t capacity, bool wide);
  // `capacity` slots (more than now), the old ones in place and the new ones empty; large
  // arrays are remapped, not copied.
  void grow(std::size_t capacity);
  // Switches to the wide layout, every event at the same index.
  void widen();
  // Every slot empty, memory kept.
  void clear_all() {
    m_words.zero();
    m_types.zero();
  }

  bool occupied(std::size_t index) const {
    return m_wide ? m_types[index] != 0 : m_words[index] != 0;
  }
  // The event in the occupied slot `index`, which holds sequence number `seq`.
  Event load(std::size_t index, std::uint64_t seq) const {
    if (m_wide) {
      return Event{seq, static_cast<LikeType>(m_types[index]), m_words[2 * index],
                   m_words[2 * index + 1]};
    }
    return packed_event::unpack(m_words[index], seq);
  }
  // Places an event in an empty slot, widening first if its ids need it.
  void store(std::size_t index, const Event& event) {
    if (!m_wide && !fits_narrow(event)) {
      widen();
    }
    if (m_wide) {
      m_words[2 * index] = event.from;
      m_words[2 * index + 1] = event.to;
      m_types[index] = static_cast<std::uint8_t>(event.type);
    } else {
      m_words[index] = pack(event);
    }
  }
  // The common case, inline for the engine's loop: a narrow event into an empty slot of a
  // narrow ring. False if that is not the case (then nothing changed).
  bool store_if_narrow_and_empty(std::size_t index, const Event& event) {
    if (m_wide || !fits_narrow(event) || m_words[index] != 0) {
      return false;
    }
    m_words[index] = pack(event);
    return true;
  }
  void erase(std::size_t index) {
    if (m_wide) {
      m_types[index] = 0;
    } else {
      m_words[index] = 0;
    }
  }
  // Moves the event in slot `from` to the empty slot `to`.
  void move(std::size_t from, std::size_t to) {
    if (m_wide) {
      m_words[2 * to] = m_words[2 * from];
      m_words[2 * to + 1] = m_words[2 * from + 1];
      m_types[to] = m_types[from];
      m_types[from] = 0;
    } else {
      m_words[to] = m_words[from];
      m_words[from] = 0;
    }
  }
  void prefetch(std::size_t index) const {
    likematch::prefetch(&m_words[m_wide ? 2 * index : index]);
  }

 private:
  static bool fits_narrow(const Event& event) { return packed_event::fits(event); }
  static std::uint64_t pack(const Event& event) { return packed_event::pack(event); }

  std::size_t m_capacity = 0;
  bool m_wide = false;
  ZeroedArray<std::uint64_t> m_words;  // one per slot, or two when wide
  ZeroedArray<std::uint8_t> m_types;   // wide only: LikeType, 0 for an empty slot
};

}  // namespace likematch
