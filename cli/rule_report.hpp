#pragma once

#include <string>

#include "core/rules/rule_comparison.hpp"

namespace likematch::cli {

// The `--compare-rules` table: each variant's match count, then for each pair of variants the
// first numbers where their lists diverge (with `explain`, why, for the first few).
std::string format_rule_report(const RuleComparison& comparison, bool explain);

}  // namespace likematch::cli
