#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/engine/match/match_rules.hpp"

namespace likematch {

// The unordered pair of users a rule state belongs to.
struct PairKey {
  std::uint64_t lo;
  std::uint64_t hi;
  friend bool operator==(const PairKey&, const PairKey&) = default;
};
struct PairKeyHash {
  std::size_t operator()(const PairKey& key) const;
};

// The pairs' rule states a worker holds in memory, at most `capacity` of them (0: no bound),
// over a store that holds every one: an evicted state is read again from the store. Eviction
// is CLOCK (a second chance for a state read since the hand last passed it), so that the pairs
// a session keeps coming back to stay while the ones seen once go first.
class PairCache {
 public:
  // What one cached state costs, for turning a budget of bytes into a capacity: the hash
  // node (key, state, next pointer, cached hash, allocator header), its bucket and its place
  // in the clock.
  static constexpr std::size_t k_bytes_per_pair = 96;

  explicit PairCache(std::size_t capacity = 0) : m_capacity(capacity) {}

  // The state of the pair, or null when it is not held.
  const PairRuleState* find(const PairKey& key);
  // Holds `state` for the pair, making room when the cache is full.
  void put(const PairKey& key, const PairRuleState& state);
  void clear();

  std::size_t size() const { return m_states.size(); }
  // States let go since the last clear(): while none is, the cache holds every state put.
  std::uint64_t evictions() const { return m_evictions; }
  std::size_t capacity() const { return m_capacity; }

 private:
  struct Entry {
    PairRuleState state;
    bool referenced = false;
  };
  std::size_t m_capacity;
  std::unordered_map<PairKey, Entry, PairKeyHash> m_states;
  std::vector<PairKey> m_clock;  // every held key once (bounded caches only)
  std::size_t m_hand = 0;
  std::uint64_t m_evictions = 0;
};

}  // namespace likematch
