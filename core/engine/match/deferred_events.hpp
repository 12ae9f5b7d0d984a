#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/engine/input/event.hpp"
#include "core/engine/input/packed_event.hpp"
#include "core/engine/memory/zeroed_array.hpp"

namespace likematch {

// Events kept in increasing sequence order to be replayed later, in one word each as a rule:
// type << 62 | gap << 48 | from << 24 | to, where the event's sequence number is the previous
// one's plus 1 plus gap, for ids below 2^24 and gaps below 2^14 (always, with the harness).
// Any other event, and the first after a clear(), takes three words: 0, its sequence number,
// its packed_event word (the type is never 0, so a word with a type of 0 can only start these).
// Events whose ids do not fit a packed_event word are never pushed.
class DeferredEvents {
 public:
  static bool fits(const Event& event) { return packed_event::fits(event); }

  // `event.seq` must exceed every sequence number pushed since the last clear().
  void push(const Event& event) { push_if(event, true); }
  // push(event) if `keep`, without a branch on it in the common case: the ordered pass asks
  // this for every event, and whether one is kept is as random as its type.
  void push_if(const Event& event, bool keep) {
    if (m_size + 3 > m_capacity) [[unlikely]] {
      grow(m_size + 3);
    }
    const std::uint64_t gap = event.seq - m_next;
    if (m_size == 0 || event.seq < m_next || gap >= (std::uint64_t{1} << k_gap_bits) ||
        ((event.from | event.to) >> k_short_id_bits) != 0) [[unlikely]] {
      if (keep) {
        m_words[m_size++] = 0;
        m_words[m_size++] = event.seq;
        m_words[m_size++] = packed_event::pack(event);
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
        m_seq = m_events->m_words[m_index++];
        event = packed_event::unpack(m_events->m_words[m_index++], m_seq);
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
