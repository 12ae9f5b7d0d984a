#include "core/engine/matcher.hpp"

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

}  // namespace

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
    // an absent pair already reads as "not liked".
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
  PairEntry entry = m_pairs.find_or_insert(lo, hi);
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
  entry.set_seq(own, event.seq);
  return outcome;
}

}  // namespace likematch
