#include "core/engine/match/matcher.hpp"

#include <algorithm>

namespace likematch {

namespace {

// How far ahead replay_deferred() loads the pairs of the events it replays.
constexpr int k_replay_lookahead = 16;

}  // namespace

// Out of the hot path: about 111 events in a million at 9,000 users.
[[gnu::noinline]] Matcher::Outcome Matcher::self_like(PairEntry entry, std::uint64_t seq) {
  return pair_rules::self_like(entry, seq, m_track_latest);
}

Matcher::Outcome Matcher::on_event(const Event& event) {
  if (!pair_rules::changes_state(event.type, m_track_latest)) {
    return {};
  }
  const PairSide side = pair_side(event);
  if (event.type != LikeType::liked) {
    // A withdrawal changes only a pair seen liked: an absent pair already reads as "not
    // liked", and the filter spares most non-likes a probe of the table.
    if (!m_liked.may_contain(side.lo, side.hi)) {
      return {};
    }
    if (PairEntry entry = m_pairs.find(side.lo, side.hi)) {
      pair_rules::withdraw(entry, side.own);
    }
    return {};
  }

  if (m_track_latest) {
    m_liked.insert(side.lo, side.hi);
  }
  PairEntry entry = m_pairs.find_or_insert(side.lo, side.hi);
  if (side.lo == side.hi) [[unlikely]] {
    return self_like(entry, event.seq);
  }
  return pair_rules::like_between_two(entry, side.own, side.back, event.seq, m_track_latest);
}

}  // namespace likematch

namespace likematch {

void Matcher::arrive_like(const Event& event) {
  const PairSide side = pair_side(event);
  if (m_track_latest) {
    m_liked.insert(side.lo, side.hi);
  }
  PairEntry entry = m_pairs.find_or_insert(side.lo, side.hi);
  if (pair_rules::arrive_like(entry, side.own, side.lo == side.hi)) {
    // The pair turns hot: from now on decide() runs its events through on_event, whose
    // state must first hold the ones decided cold.
    m_hot.insert(side.lo, side.hi);
    ++m_hot_pairs;
    replay_deferred();
  }
}

// Out of line: the ordered pass's loop stays small.
[[gnu::noinline]] void Matcher::apply_cold(const Event& event) {
  on_event(event);
}

Matcher::Outcome Matcher::decide(const Event& event) {
  if (defer_if_cold(event)) {
    return {};
  }
  return on_event(event);
}

// The cold events decided since the last replay, in order, into the pairs' state. None is a
// match: their pairs were cold when they were decided.
void Matcher::replay_deferred() {
  DeferredEvents::Cursor ahead(m_deferred);
  DeferredEvents::Cursor behind(m_deferred);
  Event event;
  for (int i = 0; i < k_replay_lookahead && ahead.next(event); ++i) {
    prefetch(event);
  }
  while (behind.next(event)) {
    on_event(event);
    if (ahead.next(event)) {
      prefetch(event);
    }
  }
  m_deferred.clear();
}

}  // namespace likematch
