#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <utility>

#include "core/prefetch.hpp"
#include "core/zeroed_array.hpp"

namespace likematch {

// What the matcher remembers about one directed pair of users (from -> to).
struct PairState {
  // Sequence number of the latest LIKE_LIKED from -> to; 0 if there was none.
  std::uint64_t last_like_seq = 0;
  // The latest event from -> to was LIKE_LIKED (rule `latest`).
  bool latest_liked = false;
  // Kept on the entry whose from <= to: the unordered pair has matched under rule ever /
  // latest (modifier `once`).
  bool matched_ever = false;
  bool matched_latest = false;
};

// Open-addressing hash map from a directed pair of user ids to its PairState. Node-based maps
// cost a cache miss per node on top of the bucket; here a lookup is one probe sequence in
// one flat array of keys, which is what dominates the matcher's time.
//
// Most lookups miss (a like rarely finds the other way liked; a non-like rarely finds its
// pair at all), so the probe runs over a dense array of 8-byte keys, 8 to a cache line, and
// the 16-byte states sit in a parallel array touched only on a hit or an insert. With 40-byte
// entries (key, state and flag together) at load 1/2, 333k pairs took a 40 MB table; now
// 12 MB at load 3/4. Pairs with an id of 2^32 or more (never seen from the harness) live in
// an ordered map beside it.
class PairTable {
 public:
  PairTable();

  // The state of (from, to), or nullptr if the pair was never inserted. The pointer is valid
  // until the next find_or_insert.
  PairState* find(std::uint64_t from, std::uint64_t to);
  // The state of (from, to), inserted default-constructed if absent.
  PairState& find_or_insert(std::uint64_t from, std::uint64_t to);

  // Hints that (from, to) is looked up soon: start loading the first probe's cache line, and
  // with `for_update` the line of its state too.
  void prefetch(std::uint64_t from, std::uint64_t to, bool for_update = false) const {
    if (is_narrow(from, to)) {
      const std::size_t home = home_of(key_of(from, to));
      likematch::prefetch(&m_keys[home]);
      if (for_update) {
        likematch::prefetch(&m_states[home]);
      }
    }
  }

  std::size_t size() const { return m_size + m_wide.size(); }

 private:
  // A key is ~(from << 32 | to), so that 0 means "empty" and a new table is calloc'ed zero
  // memory; the one pair whose key would be 0, (2^32-1, 2^32-1), counts as wide.
  static bool is_narrow(std::uint64_t from, std::uint64_t to) {
    return ((from | to) >> 32) == 0 && (from & to) != 0xffffffffU;
  }
  static std::uint64_t key_of(std::uint64_t from, std::uint64_t to) { return ~(from << 32 | to); }
  // A strong 64-bit mixer (from SplitMix64): user ids are small consecutive integers, so the
  // raw bits would pile up in a few buckets.
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
  }
  std::size_t home_of(std::uint64_t key) const {
    return static_cast<std::size_t>(mix(key)) & m_mask;
  }
  PairState* find_wide(std::uint64_t from, std::uint64_t to);
  PairState& find_or_insert_wide(std::uint64_t from, std::uint64_t to);
  void allocate(std::size_t capacity);
  void grow();

  std::size_t m_mask = 0;
  std::size_t m_size = 0;  // narrow pairs
  ZeroedArray<std::uint64_t> m_keys;
  ZeroedArray<PairState> m_states;
  std::map<std::pair<std::uint64_t, std::uint64_t>, PairState> m_wide;
};

// Defined here so that the matcher's calls inline: the calls themselves were 10% of replay's
// instructions.
inline PairState* PairTable::find(std::uint64_t from, std::uint64_t to) {
  if (!is_narrow(from, to)) {
    return find_wide(from, to);
  }
  const std::uint64_t key = key_of(from, to);
  for (std::size_t i = home_of(key);; i = (i + 1) & m_mask) {
    if (m_keys[i] == key) {
      return &m_states[i];
    }
    if (m_keys[i] == 0) {
      return nullptr;
    }
  }
}

inline PairState& PairTable::find_or_insert(std::uint64_t from, std::uint64_t to) {
  if (!is_narrow(from, to)) {
    return find_or_insert_wide(from, to);
  }
  // Keep the load at most 3/4: an unsuccessful probe then reads about 8 keys, 64 bytes.
  if (4 * (m_size + 1) > 3 * (m_mask + 1)) {
    grow();
  }
  const std::uint64_t key = key_of(from, to);
  for (std::size_t i = home_of(key);; i = (i + 1) & m_mask) {
    if (m_keys[i] == key) {
      return m_states[i];
    }
    if (m_keys[i] == 0) {
      m_keys[i] = key;
      ++m_size;
      return m_states[i];
    }
  }
}

}  // namespace likematch
