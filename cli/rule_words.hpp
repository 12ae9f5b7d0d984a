#pragma once

#include <string>
#include <vector>

#include "core/engine/match/match_rules.hpp"
#include "core/rules/error_analysis.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch::cli {

// How a user asks for these rules on the command line, without the option names, the
// self-like rule only when it is not the default: "ever", "latest --once",
// "ever --self-like-rule match".
std::string describe(const MatchRules& rules);
// The options that select these rules: "--rule latest --once",
// "--rule ever --self-like-rule match".
std::string rule_options(const MatchRules& rules);

// One line on why an event is a match under some variants and not others:
// "5 LIKE_LIKED 1->2, answering 2->1 at 2: a match under ever, latest; not under ever --once
// (the pair matched at 2), latest --once (the pair matched at 2)". Between two users the
// self-like rules agree, so only the (rule, once) variants are named; a self-like is
// explained under each self-like rule: "1 LIKE_LIKED 7->7, a self-like with no earlier one:
// --self-like-rule literal: not a match (no earlier LIKE_LIKED 7->7); match: a match under
// ever, latest, ever --once, latest --once; ignore: not a match (self-likes are ignored)".
std::string explain(const VariantExplanation& explanation);

// What a listener's MATCH END - ERROR says about the rule variants, as log lines: what it had
// been sent, each other variant, and last what to try.
std::vector<std::string> error_analysis_lines(const ErrorAnalysis& analysis);

}  // namespace likematch::cli
