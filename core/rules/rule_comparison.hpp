#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/match/pair_filter.hpp"

namespace likematch {

// Why an event is a match under some rule variants and not under others, as values; cli/
// words it.
struct VariantExplanation {
  Match match;  // the like, and the earlier like the other way it answers
  VariantSet variants = 0;
  // The latest event the other way after the answered like, when it was not a like: it took
  // the like back under `latest`. Known only if the comparison saw every decided event.
  std::optional<Event> withdrawal;
  // The pair's first match under the literal `ever`, and under the literal `latest` (this
  // one's own number if it is the first; 0 if it is no match under that rule).
  std::uint64_t first_match_ever = 0;
  std::uint64_t first_match_latest = 0;
  // For a self-like: the user's first LIKE_LIKED to itself, its first match under the self-like
  // rule `match` (this one's own number if it is the first); 0 for two users.
  std::uint64_t first_self_like = 0;
};

// Collects what every rule variant (k_rule_variants) would send for one stream, so that a single
// run can say which variant a harness expects. Fed from EngineSink::on_variant_match (and, for the
// detail of withdrawn likes, on_decided). The lists are small: hundreds of numbers per million
// events.
class RuleComparison {
 public:
  void on_variant_match(const Match& match, VariantSet variants);
  // Optional: every decided event after matching. Only used to name the event that withdrew
  // a like under `latest`. A filter of liked pairs (2 MiB) keeps a withdrawal only where a
  // like came first, so the cost is two bit probes per event, not a map entry per pair.
  void on_decided(const Event& event);

  const std::vector<std::uint64_t>& matches(const MatchRules& rules) const;

  struct Difference {
    std::uint64_t seq;
    bool in_first;  // in the first list only; otherwise in the second only
  };
  // Where the lists of `first` and `second` diverge: the smallest numbers in exactly one of
  // them.
  std::vector<Difference> differences(const MatchRules& first, const MatchRules& second,
                                      std::size_t limit) const;

  // Why `seq` is a match under some variants and not others; nullopt if it is a match under
  // none.
  std::optional<VariantExplanation> explain(std::uint64_t seq) const;

  // The smallest number that is a match under some variants and not all: where the readings
  // first disagree on this stream. nullopt if the twelve lists are equal.
  std::optional<std::uint64_t> first_divergence() const;

 private:
  using Pair = std::pair<std::uint64_t, std::uint64_t>;
  struct LastEvent {
    std::uint64_t seq;
    LikeType type;
  };

  std::array<std::vector<std::uint64_t>, k_rule_variants.size()> m_lists;
  std::map<std::uint64_t, VariantExplanation> m_matches;
  std::optional<PairFilter<24, 2>> m_liked;      // directed pairs; made by the first on_decided
  std::map<Pair, LastEvent> m_withdrawals;       // directed pair -> its latest non-like
  std::map<Pair, std::uint64_t> m_first_ever;    // unordered pair -> first match (ever)
  std::map<Pair, std::uint64_t> m_first_latest;  // unordered pair -> first match (latest)
  std::map<std::uint64_t, std::uint64_t> m_first_self_like;  // user -> first LIKE_LIKED to itself
};

}  // namespace likematch
