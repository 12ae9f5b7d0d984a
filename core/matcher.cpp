#include "core/matcher.hpp"

#include <algorithm>

namespace likematch {

std::uint8_t variant_bit(const MatchRules& rules) {
  if (rules.rule == Rule::ever) {
    return rules.once ? Matcher::ever_once : Matcher::ever;
  }
  return rules.once ? Matcher::latest_once : Matcher::latest;
}

Matcher::Outcome Matcher::on_event(const Event& event) {
  if (event.type != LikeType::liked) {
    if (!m_track_latest) {
      return {};
    }
    // Only `latest` cares about anything but a like, and only for a pair it has seen liked:
    // an absent pair already reads as "not liked".
    if (PairState* state = m_pairs.find(event.from, event.to)) {
      state->latest_liked = false;
    }
    return {};
  }

  Outcome outcome;
  // Read the answer before recording this like: for a self-like (A to A) both are one entry.
  if (const PairState* back = m_pairs.find(event.to, event.from)) {
    if (back->last_like_seq != 0) {
      outcome.answering_seq = back->last_like_seq;
      outcome.variants |= ever;
      if (m_track_latest && back->latest_liked) {
        outcome.variants |= latest;
      }
    }
  }
  if (outcome.variants != 0) {
    PairState& canonical =
        m_pairs.find_or_insert(std::min(event.from, event.to), std::max(event.from, event.to));
    if (!canonical.matched_ever) {
      canonical.matched_ever = true;
      outcome.variants |= ever_once;
    }
    if ((outcome.variants & latest) != 0 && !canonical.matched_latest) {
      canonical.matched_latest = true;
      outcome.variants |= latest_once;
    }
  }
  PairState& own = m_pairs.find_or_insert(event.from, event.to);
  own.last_like_seq = event.seq;
  own.latest_liked = true;
  return outcome;
}

}  // namespace likematch
