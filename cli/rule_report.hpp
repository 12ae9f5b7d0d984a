#pragma once

#include <string>

#include "core/rules/rule_comparison.hpp"

namespace likematch::cli {

// The `--compare-rules` table: each of the twelve variants' match count, then for each two of
// the four literal variants, and for each of those against its reading under the self-like
// rules `match` and `ignore`, the first numbers where their lists diverge (with `explain`, why,
// for the first few). A stream without self-likes gets one line for the self-like rules.
std::string format_rule_report(const RuleComparison& comparison, bool explain);

}  // namespace likematch::cli
