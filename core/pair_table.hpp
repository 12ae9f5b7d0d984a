#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/prefetch.hpp"

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
// one flat array, which is what dominates the matcher's time.
class PairTable {
 public:
  PairTable();

  // The state of (from, to), or nullptr if the pair was never inserted.
  PairState* find(std::uint64_t from, std::uint64_t to);
  // The state of (from, to), inserted default-constructed if absent.
  PairState& find_or_insert(std::uint64_t from, std::uint64_t to);

  // A hint that (from, to) is looked up soon: starts loading its first probe.
  void prefetch(std::uint64_t from, std::uint64_t to) const {
    likematch::prefetch(&m_entries[home_of(from, to)]);
  }

  std::size_t size() const { return m_size; }

 private:
  struct Entry {
    std::uint64_t from;
    std::uint64_t to;
    PairState state;
    bool used;
  };

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
  std::size_t home_of(std::uint64_t from, std::uint64_t to) const {
    return static_cast<std::size_t>(mix(from * 0x9e3779b97f4a7c15ULL + to)) & m_mask;
  }
  void grow();

  std::size_t m_mask;
  std::size_t m_size = 0;
  std::unique_ptr<Entry[]> m_entries;
};

}  // namespace likematch
