#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>

#include "core/assert.hpp"
#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/match/pair_filter.hpp"
#include "core/engine/match/pair_table.hpp"

namespace likematch {

// The rules of match_rules.hpp over every pair of a stream: the per-pair state machine,
// kept in a PairTable. It knows nothing of the order events come in; OrderedPass decides
// which events reach it, and when.
//
// It keeps the state of all twelve rule variants (ever / latest, with or without once,
// under each self-like rule) at once: they share the per-pair entry, so a run can say what
// the other variants would have sent. The self-like rules only decide events from a user to
// that same user (about 111 in a million at 9,000 users): every other like computes the four
// (rule, once) bits and copies them to the three self-like rules, and a self-like takes a
// branch of its own. `latest` needs a pair lookup for every event that is not a like, which
// cost 9% more instructions per event (15% wall time) on the tuned engine; when nobody asks
// for it, a Matcher made with track_latest = false skips that work and reports only the ever
// bits.
class Matcher {
 public:
  explicit Matcher(bool track_latest = true) : m_track_latest(track_latest) {}

  using Outcome = RuleOutcome;

  // An event has arrived (in any order): a like notes its direction in its pair. True if
  // the pair turned hot (pair_rules::can_ever_match) with it.
  bool arrive(const Event& event) { return event.type == LikeType::liked && arrive_like(event); }
  // Whether `event`'s pair is hot: only then can an event of it be a match.
  bool is_hot(const Event& event) {
    // Without branches where the answer is a coin toss (which id is smaller): a mispredicted
    // branch per event was half of the ordered pass's time.
    const std::uint64_t swap = (event.from ^ event.to) & -std::uint64_t{event.to < event.from};
    const std::uint64_t lo = event.from ^ swap;
    const std::uint64_t hi = event.to ^ swap;
    // The filter answers most cold events; the table only a "maybe" (one cold event in 1,600
    // at 640 hot pairs).
    if (!m_hot.may_contain(lo, hi)) {
      return false;
    }
    const PairEntry entry = m_pairs.find(lo, hi);
    return entry && pair_rules::can_ever_match(entry.flags(), lo == hi);
  }
  // The rules applied to `event`, whose pair's earlier events have all been decided, in
  // order, and whose arrival was noted: the variants under which it is a match.
  Outcome decide(const Event& event);

  // A hint that arrive(event) follows soon.
  void prefetch_arrival(const Event& event) const {
    if (event.type == LikeType::liked) {
      m_pairs.prefetch(std::min(event.from, event.to), std::max(event.from, event.to));
    }
  }
  // A hint that decide(event) follows soon: starts loading the pair it will look at.
  void prefetch(const Event& event) const {
    if (event.type == LikeType::liked) {
      m_pairs.prefetch(std::min(event.from, event.to), std::max(event.from, event.to), true);
    } else if (m_track_latest) {
      const std::uint64_t lo = std::min(event.from, event.to);
      const std::uint64_t hi = std::max(event.from, event.to);
      if (m_liked.may_contain(lo, hi)) {
        m_pairs.prefetch(lo, hi);
      }
    }
  }

  // Back to the state of Matcher(track_latest), keeping the tables' allocation.
  void reset(bool track_latest) {
    // Only a filter that was used has bits to clear (clearing a fresh one would fault in
    // its zero pages for nothing).
    if (m_track_latest && m_pairs.size() != 0) {
      m_liked.clear();
    }
    if (m_hot_pairs != 0) {
      m_hot.clear();
    }
    m_hot_pairs = 0;
    m_track_latest = track_latest;
    m_pairs.clear();
#ifdef LIKEMATCH_ASSERTIONS
    m_last_decided.clear();
#endif
  }

  bool tracks_latest() const {
    return m_track_latest;
  }
  std::size_t pairs() const {
    return m_pairs.size();
  }
  // Pairs with a like each way (or a user's like to itself) among the arrived events.
  std::size_t hot_pairs() const {
    return m_hot_pairs;
  }
  std::size_t memory_bytes() const {
    return m_pairs.memory_bytes();
  }

 private:
  Outcome self_like(PairEntry entry, std::uint64_t seq);
  bool arrive_like(const Event& event);

  bool m_track_latest;
  std::size_t m_hot_pairs = 0;
  PairTable m_pairs;
  PairFilter<22, 1> m_liked;  // the pairs in m_pairs, while tracking latest
  // The hot pairs: is_hot() asks it first. 128 KiB, so that it stays in cache.
  PairFilter<20, 1, quick_pair_hash> m_hot;
#ifdef LIKEMATCH_ASSERTIONS
  // The last sequence number decided per pair: order per pair, checked.
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::uint64_t> m_last_decided;
#endif
};

}  // namespace likematch
