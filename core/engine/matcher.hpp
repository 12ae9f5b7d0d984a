#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "core/engine/event.hpp"
#include "core/engine/match_rules.hpp"
#include "core/engine/pair_filter.hpp"
#include "core/engine/pair_table.hpp"

namespace likematch {

// Decides, for events handed to it in sequence order, which ones complete a match.
//
// It can keep the state of all twelve rule variants (ever / latest, with or without once,
// under each self-like rule) at once: they share the per-pair entry, so a run can say what the
// other variants would have sent. The self-like rules only decide events from a user to that
// same user (about 111 in a million at 9,000 users): every other like computes the four
// (rule, once) bits and copies them to the three self-like rules, and a self-like takes a
// branch of its own. `latest` needs a pair lookup for every event that is not a like, which cost 9%
// more instructions per event (15% wall time) on the tuned engine; when nobody asks for it, a
// Matcher made with track_latest = false skips that work and reports only the ever bits.
class Matcher {
 public:
  explicit Matcher(bool track_latest = true) : m_track_latest(track_latest) {}

  // The bits of the literal variants in a VariantSet; under_every_self_like_rule and
  // variant_bit give the others.
  enum Variant : VariantSet {
    ever = variant_bit({Rule::ever, false}),
    latest = variant_bit({Rule::latest, false}),
    ever_once = variant_bit({Rule::ever, true}),
    latest_once = variant_bit({Rule::latest, true}),
  };

  struct Outcome {
    VariantSet variants = 0;
    // The latest earlier LIKE_LIKED the other way (valid when variants != 0). A self-like
    // with no earlier LIKE_LIKED from the user to itself (a match only under
    // SelfLikeRule::match) answers itself: its own sequence number.
    std::uint64_t answering_seq = 0;
  };

  // Events must come in strictly increasing sequence order.
  Outcome on_event(const Event& event);
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

  // Back to the state of Matcher(track_latest), keeping the pair table's allocation.
  void reset(bool track_latest) {
    // Only a filter that was used has bits to clear (clearing a fresh one would fault in
    // its zero pages for nothing).
    if (m_track_latest && m_pairs.size() != 0) {
      m_liked.clear();
    }
    m_track_latest = track_latest;
    m_pairs.clear();
  }

  bool tracks_latest() const { return m_track_latest; }
  std::size_t pairs() const { return m_pairs.size(); }
  std::size_t memory_bytes() const { return m_pairs.memory_bytes(); }

 private:
  Outcome like(PairEntry entry, int own, int back, std::uint64_t seq);
  Outcome self_like(PairEntry entry, std::uint64_t seq);

  bool m_track_latest;
  PairTable m_pairs;
  PairFilter<22, 1> m_liked;  // the pairs in m_pairs, while tracking latest
};

}  // namespace likematch
