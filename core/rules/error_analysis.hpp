#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/engine/match/match_rules.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch {

// What a listener had been sent when it answered MATCH END - ERROR.
struct SentPrefix {
  MatchRules rules;       // the rules the server sends by
  std::size_t count = 0;  // how many numbers of that list were sent
  bool complete = false;  // the session's input had ended and its whole list was sent
  // How many numbers had been sent in all after each write to the listener, in order; empty
  // if not known (then every number counts as its own write).
  std::vector<std::size_t> writes;
};

// How another variant's list stands against what was sent.
struct VariantFinding {
  enum class Kind {
    same_list,     // the same list, number for number
    same_as_sent,  // the same numbers up to the last one sent (it diverges later)
    diverges,      // it diverges within what was sent
  };
  MatchRules rules;
  Kind kind = Kind::same_list;
  // diverges: the first number in exactly one of the two lists,
  std::uint64_t seq = 0;
  bool sent_only = false;  // sent by us and not in theirs; otherwise theirs only,
  // sent before this number of ours (nullopt: after our last),
  std::optional<std::uint64_t> before;
  // the place (1-based) in what was sent where a listener expecting `rules` sees it, and the
  // write that carried that place,
  std::size_t place = 0;
  std::size_t write = 0;
  // and why `seq` is a match under some variants.
  std::optional<VariantExplanation> why;
};

// Why a listener may have answered MATCH END - ERROR, from one run: what it had been sent,
// which other rule variants would have sent a different number by then, and what to try. A
// listener that expects variant V errs at the first number where our list and V's diverge,
// so every variant that diverges within what was sent could be the harness's. The verdict
// follows the fault by a round trip, so the one diverging in the latest write is the
// likeliest and comes first; within one write the order is a guess.
struct ErrorAnalysis {
  MatchRules sent_rules;
  std::size_t sent = 0;               // numbers sent
  std::optional<std::uint64_t> last;  // the last of them
  bool whole_list = false;            // they were the session's whole list
  // Each other variant, in k_rule_variants order, but for one whose self-like rule differs from
  // the sent one and whose list is the same as with the sent self-like rule: no self-like in
  // the stream told them apart, so it would only repeat that variant's finding.
  std::vector<VariantFinding> findings;
  std::vector<MatchRules> suspects;  // the variants to try, likeliest first
  // More than one: the likeliest suspects diverged within one write, so their order is a
  // guess.
  std::vector<MatchRules> tied;
};

ErrorAnalysis analyze_error(const RuleComparison& comparison, const SentPrefix& sent);

}  // namespace likematch
