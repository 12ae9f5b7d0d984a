#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/event.hpp"
#include "core/engine/match_rules.hpp"

namespace likematch {

// The four readings of "match", in the order they are shown.
inline constexpr std::array<MatchRules, 4> k_rule_variants{{
    {Rule::ever, false},
    {Rule::latest, false},
    {Rule::ever, true},
    {Rule::latest, true},
}};

// Collects what every rule variant would send for one stream, so that a single run can say
// which variant a harness expects. Fed from EngineSink::on_candidate (and, for the detail of
// withdrawn likes, on_decided). The lists are small: hundreds of numbers per million events.
class RuleComparison {
 public:
  void on_candidate(const Match& match, std::uint8_t variants);
  // Optional: every decided event after matching. Only used to name the event that withdrew
  // a like under `latest`. A filter of liked pairs (2 MiB) keeps a withdrawal only where a
  // like came first, so the cost is two bit probes per event, not a map entry per pair.
  void on_decided(const Event& event);

  const std::vector<std::uint64_t>& matches(const MatchRules& rules) const;

  struct Difference {
    std::uint64_t seq;
    bool in_first;  // in the first list only; otherwise in the second only
  };
  // Where the lists of `first` and `second` part: the smallest numbers in exactly one of them.
  std::vector<Difference> differences(const MatchRules& first, const MatchRules& second,
                                      std::size_t limit) const;

  // One line on why `seq` is a match under some variants and not others.
  std::string explain(std::uint64_t seq) const;

  // The smallest number that is a match under some variants and not all: where the readings
  // first disagree on this stream. nullopt if the four lists are equal.
  std::optional<std::uint64_t> first_divergence() const;

 private:
  using Pair = std::pair<std::uint64_t, std::uint64_t>;
  struct Candidate {
    Match match;
    std::uint8_t variants = 0;
    Event withdrawal;                  // the latest event the other way, when it is not a like
    std::uint64_t earlier_ever = 0;    // an earlier match of the pair under ever
    std::uint64_t earlier_latest = 0;  // an earlier match of the pair under latest
  };
  struct LastEvent {
    std::uint64_t seq;
    LikeType type;
  };

  // Bloom filter bits of the directed pairs that were ever liked (no false negatives).
  bool maybe_liked(std::uint64_t from, std::uint64_t to) const;
  void mark_liked(std::uint64_t from, std::uint64_t to);

  std::array<std::vector<std::uint64_t>, 4> m_lists;
  std::map<std::uint64_t, Candidate> m_candidates;
  std::vector<std::uint64_t> m_liked_filter;     // allocated by the first on_decided
  std::map<Pair, LastEvent> m_withdrawals;       // directed pair -> its latest non-like
  std::map<Pair, std::uint64_t> m_first_ever;    // unordered pair -> first match (ever)
  std::map<Pair, std::uint64_t> m_first_latest;  // unordered pair -> first match (latest)
};

}  // namespace likematch
