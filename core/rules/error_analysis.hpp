#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/rules/rule_comparison.hpp"
#include "core/engine/match_rules.hpp"

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

// Why a listener may have answered MATCH END - ERROR, as log lines, from one run: what it had
// been sent, which other rule variants would have sent a different number by then (and why),
// and, last, what to try. A listener that expects variant V errs at the first number where
// our list and V's part, so every variant that parts from ours within what was sent could be
// the harness's. The verdict follows the fault by a round trip, so the one parting in the
// latest write is the likeliest and is suggested first; within one write the order is a
// guess, and a line says so. When none parts, the last line says the fault is not the rule.
std::vector<std::string> diagnose_error(const RuleComparison& comparison, const SentPrefix& sent);

}  // namespace likematch
