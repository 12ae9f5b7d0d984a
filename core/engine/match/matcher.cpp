#include "core/engine/match/matcher.hpp"

#include <algorithm>

namespace likematch {

namespace {

// The bits of direction `direction` (0: lo -> hi, 1: hi -> lo) of a pair entry.
std::uint8_t liked_bit(int direction) {
  return direction == 0 ? liked_0 : liked_1;
}
std::uint8_t latest_liked_bit(int direction) {
  return direction == 0 ? latest_liked_0 : latest_liked_1;
}
std::uint8_t arrived_bit(int direction) {
  return direction == 0 ? arrived_0 : arrived_1;
}

// How far ahead replay_deferred() loads the pairs of the events it replays.
constexpr int k_replay_lookahead = 16;

}  // namespace

// The literal variants' bits for a like in direction `own` of the pair `entry`, and the like
// recorded. Inlined into on_event: the hot path.
inline Matcher::Outcome Matcher::like(PairEntry entry, int own, int back, std::uint64_t seq) {
  const std::uint8_t flags = entry.flags();
  Outcome outcome;
  // Read the answer before recording this like: for a self-like both are one direction.
  if ((flags & liked_bit(back)) != 0) {
    outcome.answering_seq = entry.seq(back);
    outcome.variants |= ever;
    if (m_track_latest && (flags & latest_liked_bit(back)) != 0) {
      outcome.variants |= latest;
    }
    if ((flags & matched_ever) == 0) {
      outcome.variants |= ever_once;
    }
    if ((outcome.variants & latest) != 0 && (flags & matched_latest) == 0) {
      outcome.variants |= latest_once;
    }
  }
  std::uint8_t update = liked_bit(own) | latest_liked_bit(own);
  if ((outcome.variants & ever) != 0) {
    update |= matched_ever;
  }
  if ((outcome.variants & latest) != 0) {
    update |= matched_latest;
  }
  entry.set(update);
  entry.set_seq(own, seq);
  return outcome;
}

// A LIKE_LIKED from a user to itself, out of the hot path. The entry of {A, A} keeps the
// literal state, which also tells whether A liked itself before: under the match rule every
// self-like is a match, and with once only the first, which is the one without that flag. The
// ignore rule's bits stay 0, and its state is the literal one, which it never reads.
[[gnu::noinline]] Matcher::Outcome Matcher::self_like(PairEntry entry, std::uint64_t seq) {
  const bool first = (entry.flags() & liked_0) == 0;
  Outcome outcome = like(entry, 0, 0, seq);
  VariantSet match = ever | (first ? ever_once : 0);
  if (m_track_latest) {
    match |= latest | (first ? latest_once : 0);
  }
  if (first) {
    outcome.answering_seq = seq;
  }
  outcome.variants |= static_cast<VariantSet>(match << k_bits_per_self_like_rule);
  return outcome;
}

Matcher::Outcome Matcher::on_event(const Event& event) {
  if (event.type != LikeType::liked && !m_track_latest) {
    return {};
  }
  const std::uint64_t lo = std::min(event.from, event.to);
  const std::uint64_t hi = std::max(event.from, event.to);
  // For a self-like (A to A) both directions are direction 0: the like answers itself.
  const int own = event.from <= event.to ? 0 : 1;
  const int back = event.to <= event.from ? 0 : 1;

  if (event.type != LikeType::liked) {
    // Only `latest` cares about anything but a like, and only for a pair it has seen liked:
    // an absent pair already reads as "not liked". (From A to A, only the literal self-like
    // rule reads what this clears.)
    if (!m_liked.may_contain(lo, hi)) {
      return {};
    }
    if (PairEntry entry = m_pairs.find(lo, hi)) {
      entry.clear(latest_liked_bit(own));
    }
    return {};
  }

  if (m_track_latest) {
    m_liked.insert(lo, hi);
  }
  const PairEntry entry = m_pairs.find_or_insert(lo, hi);
  if (lo == hi) [[unlikely]] {
    return self_like(entry, event.seq);
  }
  // Copying the bits for every like, answered or not, measured cheaper than copying them
  // inside like()'s answered branch (callgrind: 555.9 against 556.2 instructions per event).
  Outcome outcome = like(entry, own, back, event.seq);
  outcome.variants = under_every_self_like_rule(outcome.variants);
  return outcome;
}

}  // namespace likematch

namespace likematch {

void Matcher::arrive_like(const Event& event) {
  const std::uint64_t lo = std::min(event.from, event.to);
  const std::uint64_t hi = std::max(event.from, event.to);
  const int own = event.from <= event.to ? 0 : 1;
  if (m_track_latest) {
    m_liked.insert(lo, hi);
  }
  PairEntry entry = m_pairs.find_or_insert(lo, hi);
  const std::uint8_t before = entry.flags();
  if ((before & arrived_bit(own)) != 0) {
    return;
  }
  entry.set(arrived_bit(own));
  if (lo == hi || (before & arrived_bit(1 - own)) != 0) {
    // The pair turns hot: from now on decide() runs its events through on_event, whose
    // state must first hold the ones decided cold.
    m_hot.insert(lo, hi);
    ++m_hot_pairs;
    replay_deferred();
  }
}

bool Matcher::is_hot_entry(std::uint64_t lo, std::uint64_t hi) {
  const PairEntry entry = m_pairs.find(lo, hi);
  if (!entry) {
    return false;
  }
  const std::uint8_t arrived = entry.flags() & (arrived_0 | arrived_1);
  return lo == hi ? arrived != 0 : arrived == (arrived_0 | arrived_1);
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
