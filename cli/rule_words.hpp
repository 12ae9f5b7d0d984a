#pragma once

#include <string>
#include <vector>

#include "core/engine/match_rules.hpp"
#include "core/rules/error_analysis.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch::cli {

// How a user asks for these rules on the command line, without the option names:
// "ever", "latest --once".
std::string describe(const MatchRules& rules);
// The options that select these rules: "--rule latest --once".
std::string rule_options(const MatchRules& rules);

// One line on why an event is a match under some variants and not others:
// "5 LIKE_LIKED 1->2, answering 2->1 at 2: a match under ever, latest; not under ever --once
// (the pair matched at 2), latest --once (the pair matched at 2)".
std::string explain(const VariantExplanation& explanation);

// What a listener's MATCH END - ERROR says about the rule variants, as log lines: what it had
// been sent, each other variant, and last what to try.
std::vector<std::string> error_analysis_lines(const ErrorAnalysis& analysis);

}  // namespace likematch::cli
