#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/engine/input/event.hpp"
#include "core/engine/memory/zeroed_array.hpp"

namespace likematch {

// Events kept in increasing sequence order to be replayed later, any event, in one of two
// forms:
// - short, one word, type << 62 | gap << 48 | from << 24 | to, where the event's sequence
//   number is the previous one's plus 1 plus gap: for ids below 2^24 and gaps below 2^14
//   (about every event from the harness, so a cold event costs 8 bytes);
// - long, four words, for the first event after a clear() and any other: its type (a word
//   whose top two bits are 0: a short word's are its type, never 0), its sequence number,
//   from, to.
class DeferredEvents {
 public:
  // `event.seq` must exceed every sequence number pushed since the last clear().
  void push(const Event& event) { push_if(event, true); }
  // push(event) if `keep`, without a branch on it in the common case: the ordered pass asks
  // this for every event, and whether one is kept is as random as its type.
  void push_if(const Event& event, bool keep) {
    if (m_size + k_long_words > m_capacity) [[unlikely]] {
      grow(m_size + k_long_words);
    }
    const std::uint64_t gap = event.seq - m_next;
    if (m_size == 0 || event.seq < m_next || gap >= (std::uint64_t{1} << k_gap_bits) ||
        ((event.from | event.to) >> k_short_id_bits) != 0) [[unlikely]] {
      if (keep) {
        m_words[m_size++] = static_cast<std::uint8_t>(event.type);
        m_words[m_size++] = event.seq;
        m_words[m_size++] = event.from;
        m_words[m_size++] = event.to;
        m_next = event.seq + 1;
      }
      return;
    }
    m_words[m_size] = std::uint64_t{static_cast<std::uint8_t>(event.type)} << 62 |
                      gap << (2 * k_short_id_bits) | event.from << k_short_id_bits | event.to;
    // Arithmetic, not a conditional: g++ made the conditional a branch.
    const std::uint64_t kept = -std::uint64_t{keep};
    m_size += static_cast<std::size_t>(keep);
    m_next = (m_next & ~kept) | ((event.seq + 1) & kept);
  }

  // Reads the events back in order: next() fills `event` and says whether there was one.
  class Cursor {
   public:
    explicit Cursor(const DeferredEvents& events) : m_events(&events) {}
    bool next(Event& event) {
      if (m_index == m_events->m_size) {
        return false;
      }
      const std::uint64_t word = m_events->m_words[m_index++];
      if ((word >> 62) == 0) {
        m_seq = m_events->m_words[m_index];
        event = Event{m_seq, static_cast<LikeType>(word), m_events->m_words[m_index + 1],
                      m_events->m_words[m_index + 2]};
        m_index += 3;
      } else {
        m_seq += 1 + ((word >> (2 * k_short_id_bits)) & k_gap_mask);
        event = Event{m_seq, static_cast<LikeType>(word >> 62),
                      (word >> k_short_id_bits) & k_short_id_mask, word & k_short_id_mask};
      }
      return true;
    }

   private:
    const DeferredEvents* m_events;
    std::size_t m_index = 0;
    std::uint64_t m_seq = 0;
  };

  // Room for `words` more words without growing, in memory already faulted in: growing
  // during the ordered pass after the last line would stop it to fault in fresh pages (a
  // quarter of that pass's time).
  void reserve(std::size_t words) {
    if (m_size + words > m_capacity) {
      grow(m_size + words);
    }
  }

  bool empty() const { return m_size == 0; }
  // Words held.
  std::size_t words() const { return m_size; }
  std::size_t memory_bytes() const { return m_words.bytes(); }
  // Empties the list, keeping its memory.
  void clear() { m_size = 0; }

 private:
  static constexpr std::size_t k_long_words = 4;
  static constexpr int k_short_id_bits = 24;
  static constexpr int k_gap_bits = 14;
  static constexpr std::uint64_t k_short_id_mask = (std::uint64_t{1} << k_short_id_bits) - 1;
  static constexpr std::uint64_t k_gap_mask = (std::uint64_t{1} << k_gap_bits) - 1;
  static constexpr std::size_t k_min_capacity = 4096;

  // To at least `words`, by half again at least, every new page faulted in now.
  void grow(std::size_t words) {
    const std::size_t capacity = std::max({words, m_capacity + m_capacity / 2, k_min_capacity});
    if (m_capacity == 0) {
      m_words = ZeroedArray<std::uint64_t>(capacity);
    } else {
      m_words.grow(capacity);
    }
    // One write in each page from the old end on (never below it: those words may be live).
    constexpr std::size_t k_words_per_page = 4096 / sizeof(std::uint64_t);
    for (std::size_t i = m_capacity; i < capacity;
         i = (i / k_words_per_page + 1) * k_words_per_page) {
      m_words[i] = 0;
    }
    m_capacity = capacity;
  }

  ZeroedArray<std::uint64_t> m_words;
  std::size_t m_capacity = 0;
  std::size_t m_size = 0;
  std::uint64_t m_next = 0;  // the sequence number of a gap of 0
};

}  // namespace likematch
