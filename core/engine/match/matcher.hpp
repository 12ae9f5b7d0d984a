#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/engine/input/event.hpp"
#include "core/engine/match/deferred_events.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/match/pair_filter.hpp"
#include "core/engine/match/pair_table.hpp"

namespace likematch {

// Decides, for events handed to it in sequence order, which ones complete a match.
//
// It can keep the state of all twelve rule variants (ever / latest, with or without once,
// under each self-like rule) at once: they share the per-pair entry, so a run can say what the
// other variants would have sent. The self-like rules only decide events from a user to that
// same user (about 111 in a million at 9,000 users): every other like computes the four
// (rule, once) bits and copies them to the three self-like rules, and a self-like takes a
// branch of its own. `latest` needs a pair lookup for every event that is not a like, which
// cost 9% more instructions per event (15% wall time) on the tuned engine; when nobody asks
// for it, a Matcher made with track_latest = false skips that work and reports only the ever
// bits.
//
// The engine uses it in two passes, so that little work is left after the last event. When
// an event enters the reorder buffer, arrive() notes which directions of its pair have a
// like, in whatever order they come (the pair table's arrived bits). A match needs a like each
// way (or a user liking itself), so only such "hot" pairs can ever match: 640 of the
// 331,000 liked pairs of a million events at 9,000 users. decide(), in sequence order, runs
// on_event for the events of hot pairs and appends the others ("cold") to a list, a
// sequential write, where on_event was a random access into the pair table for every event:
// with a fully shuffled stream everything is decided after the last line arrives, so those
// accesses were the whole tail (about 30 ms for a million events; 5 ms now). When a pair
// turns hot, the list is replayed through on_event first, so that every pair's state holds
// each of its decided events in order; every event is replayed once at most.
class Matcher {
 public:
  explicit Matcher(bool track_latest = true) : m_track_latest(track_latest) {}

  using Outcome = RuleOutcome;

  // The state machine: events must come in strictly increasing sequence order.
  Outcome on_event(const Event& event);

  // Past this many words (8 MiB) the list of cold events is replayed at the next arrival even
  // if no pair turned hot, so that a stream whose pairs stay cold does not keep its whole
  // history. (One ordered pass may add up to the events waiting, for which room was made.)
  static constexpr std::size_t k_max_deferred_words = std::size_t{1} << 20;

  // The two passes (see above). Every event goes through arrive() when it is accepted, in any
  // order, and then through decide() in strictly increasing sequence order; decide(event)
  // gives on_event(event)'s outcome.
  void arrive(const Event& event) {
    if (m_deferred.words() > k_max_deferred_words) {
      replay_deferred();
    }
    if (event.type == LikeType::liked) {
      arrive_like(event);
    }
  }
  Outcome decide(const Event& event);
  // decide() in two steps, for the engine's loop: true if `event` is cold (decided: no match
  // under any variant); false if its pair is hot, and on_event(event) must follow. With
  // `apply_now`, a cold event goes into its pair's state at once if no cold event waits
  // (then none of its pair can), rather than into the list: for a pair already in cache.
  bool defer_if_cold(const Event& event, bool apply_now = false) {
    if (!DeferredEvents::fits(event)) {
      // Events too wide to keep are decided at once: all of a pair's events are equally
      // wide, so none of the pair's waits in the list.
      return false;
    }
    // Without branches where the answer is a coin toss (which id is smaller, whether the
    // event is a like): a mispredicted branch per event was half of the ordered pass's time.
    // Non-likes are looked at even when only `ever` is tracked (it ignores them).
    const std::uint64_t swap = (event.from ^ event.to) & -std::uint64_t{event.to < event.from};
    const std::uint64_t lo = event.from ^ swap;
    const std::uint64_t hi = event.to ^ swap;
    if (m_hot.may_contain(lo, hi) && is_hot_entry(lo, hi)) {
      return false;
    }
    // Cold: a match under any variant answers an earlier like the other way, which has
    // arrived (every smaller sequence number has), and would have made the pair hot. Kept
    // for the day the pair turns hot: under latest every event, since a withdrawal counts;
    // picking only those of pairs with a like cost a lookup per event here.
    if (apply_now && m_deferred.empty()) {
      apply_cold(event);
      return true;
    }
    const bool wanted = pair_rules::changes_state(event.type, m_track_latest);
    m_deferred.push_if(event, wanted & !m_sealed);
    return true;
  }
  // `undecided` events have arrived and wait for decide(): room for what it may keep of them
  // (every one under latest; under ever only likes, about a third), made now, while events
  // arrive, rather than during the ordered pass.
  void reserve(std::size_t undecided) {
    m_deferred.reserve(m_track_latest ? undecided : undecided / 2);
  }
  // No event will arrive any more: cold events need not be kept.
  void seal() { m_sealed = true; }
  // A hint that arrive(event) follows soon.
  void prefetch_arrival(const Event& event) const {
    if (event.type == LikeType::liked) {
      m_pairs.prefetch(std::min(event.from, event.to), std::max(event.from, event.to));
    }
  }

  // A hint that on_event(event) follows soon: starts loading the pair it will look at.
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
    m_sealed = false;
    m_pairs.clear();
    m_deferred.clear();
  }

  bool tracks_latest() const { return m_track_latest; }
  std::size_t pairs() const { return m_pairs.size(); }
  // Pairs with a like each way (or a user's like to itself) among the arrived events.
  std::size_t hot_pairs() const { return m_hot_pairs; }
  // The words of cold events kept for a replay.
  std::size_t deferred_words() const { return m_deferred.words(); }
  std::size_t memory_bytes() const { return m_pairs.memory_bytes() + m_deferred.memory_bytes(); }

 private:
  Outcome self_like(PairEntry entry, std::uint64_t seq);
  void arrive_like(const Event& event);
  void apply_cold(const Event& event);
  // Whether the pair's entry says hot (the filter said "maybe").
  bool is_hot_entry(std::uint64_t lo, std::uint64_t hi) {
    const PairEntry entry = m_pairs.find(lo, hi);
    return entry && pair_rules::can_ever_match(entry.flags(), lo == hi);
  }
  void replay_deferred();

  bool m_track_latest;
  bool m_sealed = false;

  std::size_t m_hot_pairs = 0;
  PairTable m_pairs;
  PairFilter<22, 1> m_liked;  // the pairs in m_pairs, while tracking latest
  // The hot pairs: decide() asks it first, and the pair table only for a "maybe" (one cold
  // event in 1,600 at 640 hot pairs). 128 KiB, so that it stays in cache.
  PairFilter<20, 1, quick_pair_hash> m_hot;
  DeferredEvents m_deferred;  // the cold events decided since the last replay
};

}  // namespace likematch
