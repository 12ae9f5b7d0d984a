#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>

#include "core/engine/memory/mix.hpp"
#include "core/engine/memory/prefetch.hpp"
#include "core/engine/memory/zeroed_array.hpp"

namespace likematch {

// The low bits of a slot's word are the pair's flags (PairFlag, match_rules.hpp); the table
// keeps them without reading them.
inline constexpr std::uint8_t k_pair_flag_bits = 8;

// A view of one pair's entry, valid until the next find_or_insert.
class PairEntry {
 public:
  PairEntry() = default;
  PairEntry(std::uint64_t* word, std::uint64_t* seqs) : m_word(word), m_seqs(seqs) {}

  explicit operator bool() const { return m_word != nullptr; }
  std::uint8_t flags() const { return static_cast<std::uint8_t>(*m_word & k_mask); }
  void set(std::uint8_t flags) { *m_word |= flags; }
  void clear(std::uint8_t flags) { *m_word &= ~std::uint64_t{flags}; }
  // Sequence number of the latest LIKE_LIKED in `direction`; 0 if there was none.
  std::uint64_t seq(int direction) const { return m_seqs[direction]; }
  void set_seq(int direction, std::uint64_t seq) { m_seqs[direction] = seq; }

 private:
  static constexpr std::uint64_t k_mask = (std::uint64_t{1} << k_pair_flag_bits) - 1;
  std::uint64_t* m_word = nullptr;  // the flags are its low bits
  std::uint64_t* m_seqs = nullptr;  // two
};

// Open-addressing hash map from an unordered pair of user ids to its flags and two sequence
// numbers. A like reads the other way and writes its own: keyed by the unordered pair, both
// are one probe, where the directed pairs of the first version took two probes and a third
// miss for the state (the matcher was 27 ms of a 71 ms replay of 1M events).
//
// Most likes find nothing to answer them, so what they read is kept small: one 8-byte word
// per slot holds the pair and its flags, 8 to a cache line, and the two sequence numbers sit
// in a parallel array that a like only writes (and a match reads). Pairs with an id of
// k_first_wide_id or more (never seen from the harness) live in an ordered map beside it.
class PairTable {
  static constexpr int k_id_bits = 28;

 public:
  // The smallest id that sends a pair to the ordered map (2^28 - 1).
  static constexpr std::uint64_t k_first_wide_id = (std::uint64_t{1} << k_id_bits) - 1;

  PairTable();

  // The entry of {lo, hi}, lo <= hi, or an empty view if the pair was never inserted.
  PairEntry find(std::uint64_t lo, std::uint64_t hi);
  // The entry of {lo, hi}, lo <= hi, inserted with no flags and no sequence numbers if absent.
  PairEntry find_or_insert(std::uint64_t lo, std::uint64_t hi);

  // Hints that {lo, hi} is looked up soon: starts loading the first probe's cache line, and
  // with `for_update` the line of its sequence numbers too.
  void prefetch(std::uint64_t lo, std::uint64_t hi, bool for_update = false) const {
    if (is_narrow(hi)) {
      const std::size_t home = home_of(key_of(lo, hi));
      likematch::prefetch(&m_words[home]);
      if (for_update) {
        likematch::prefetch(&m_seqs[2 * home]);
      }
    }
  }

  // Empties the table and keeps its capacity, for another stream: a memset of the arrays
  // instead of faulting in fresh zero pages and growing again.
  void clear();

  std::size_t size() const { return m_size + m_wide.size(); }
  // The arrays' allocation (the wide pairs are few and not counted).
  std::size_t memory_bytes() const { return m_words.bytes() + m_seqs.bytes(); }

 private:
  static constexpr std::uint64_t k_flag_mask = (std::uint64_t{1} << k_pair_flag_bits) - 1;

  // A slot's word is key | flags, the key being the complement of lo << 36 | hi << 8 with
  // the flag bits cleared, so that 0 means "empty" and a new table is zero memory; the pair
  // whose key would be 0, (2^28-1, 2^28-1), is wide like every pair with hi >= 2^28-1.
  static bool is_narrow(std::uint64_t hi) { return hi < k_first_wide_id; }
  static std::uint64_t key_of(std::uint64_t lo, std::uint64_t hi) {
    return ~(lo << (k_id_bits + k_pair_flag_bits) | hi << k_pair_flag_bits) & ~k_flag_mask;
  }
  std::size_t home_of(std::uint64_t key) const {
    return static_cast<std::size_t>(mix64(key)) & m_mask;
  }
  PairEntry entry_at(std::size_t i) { return {&m_words[i], &m_seqs[2 * i]}; }
  // The slot holding `key`, or the empty slot where the probe for it ends: the one probe
  // loop, for finding, inserting and rehashing.
  std::size_t slot_of(std::uint64_t key) const;
  PairEntry find_wide(std::uint64_t lo, std::uint64_t hi);
  PairEntry find_or_insert_wide(std::uint64_t lo, std::uint64_t hi);
  void allocate(std::size_t capacity);
  void grow();

  struct WideEntry {
    std::uint64_t word = 0;  // flags only
    std::uint64_t seqs[2] = {0, 0};
  };

  std::size_t m_mask = 0;
  std::size_t m_size = 0;  // narrow pairs
  ZeroedArray<std::uint64_t> m_words;
  ZeroedArray<std::uint64_t> m_seqs;  // two per slot
  std::map<std::pair<std::uint64_t, std::uint64_t>, WideEntry> m_wide;
};

// Defined here so that the matcher's calls inline: the calls themselves were 10% of replay's
// instructions.
inline std::size_t PairTable::slot_of(std::uint64_t key) const {
  for (std::size_t i = home_of(key);; i = (i + 1) & m_mask) {
    const std::uint64_t word = m_words[i];
    if ((word & ~k_flag_mask) == key || word == 0) {
      return i;
    }
  }
}

inline PairEntry PairTable::find(std::uint64_t lo, std::uint64_t hi) {
  if (!is_narrow(hi)) {
    return find_wide(lo, hi);
  }
  const std::size_t i = slot_of(key_of(lo, hi));
  return m_words[i] == 0 ? PairEntry{} : entry_at(i);
}

inline PairEntry PairTable::find_or_insert(std::uint64_t lo, std::uint64_t hi) {
  if (!is_narrow(hi)) {
    return find_or_insert_wide(lo, hi);
  }
  // Keep the load at most 3/4: an unsuccessful probe then reads about 8 words, 64 bytes.
  if (4 * (m_size + 1) > 3 * (m_mask + 1)) {
    grow();
  }
  const std::uint64_t key = key_of(lo, hi);
  const std::size_t i = slot_of(key);
  if (m_words[i] == 0) {
    m_words[i] = key;
    ++m_size;
  }
  return entry_at(i);
}

}  // namespace likematch
