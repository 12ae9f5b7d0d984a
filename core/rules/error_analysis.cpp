#include "core/rules/error_analysis.hpp"

#include <algorithm>

namespace likematch {

namespace {

// Which write carried the number sent in `place` (writes.size(): none yet, it was awaited).
std::size_t write_of(const std::vector<std::size_t>& writes, std::size_t place) {
  if (writes.empty()) {
    return place;
  }
  return static_cast<std::size_t>(std::lower_bound(writes.begin(), writes.end(), place) -
                                  writes.begin());
}

}  // namespace

ErrorAnalysis analyze_error(const RuleComparison& comparison, const SentPrefix& sent) {
  const std::vector<std::uint64_t>& ours = comparison.matches(sent.rules);
  ErrorAnalysis analysis;
  analysis.sent_rules = sent.rules;
  analysis.sent = std::min(sent.count, ours.size());
  analysis.whole_list = sent.complete && analysis.sent == ours.size();
  if (analysis.sent != 0) {
    analysis.last = ours[analysis.sent - 1];
  }

  for (const MatchRules& other : k_rule_variants) {
    if (other == sent.rules) {
      continue;
    }
    MatchRules twin = other;
    twin.self_likes = sent.rules.self_likes;
    if (twin != other && comparison.matches(other) == comparison.matches(twin)) {
      continue;
    }
    VariantFinding finding;
    finding.rules = other;
    const auto diverged = comparison.differences(sent.rules, other, 1);
    if (diverged.empty()) {
      analysis.findings.push_back(finding);
      continue;
    }
    finding.seq = diverged.front().seq;
    finding.sent_only = diverged.front().in_first;
    // The first number sent at or after the diverging one is where a listener expecting
    // `other` sees a difference (sent_only: it is the number itself).
    const auto at = std::lower_bound(ours.begin(), ours.end(), finding.seq);
    finding.place = static_cast<std::size_t>(at - ours.begin()) + 1;
    if (finding.place > analysis.sent && !(analysis.whole_list && at == ours.end())) {
      finding.kind = VariantFinding::Kind::same_as_sent;
      analysis.findings.push_back(finding);
      continue;
    }
    finding.kind = VariantFinding::Kind::diverges;
    if (!finding.sent_only && at != ours.end()) {
      finding.before = *at;
    }
    finding.write = write_of(sent.writes, finding.place);
    finding.why = comparison.explain(finding.seq);
    analysis.findings.push_back(finding);
  }

  std::vector<VariantFinding> diverging;
  for (const VariantFinding& finding : analysis.findings) {
    if (finding.kind == VariantFinding::Kind::diverges) {
      diverging.push_back(finding);
    }
  }
  std::stable_sort(
      diverging.begin(), diverging.end(),
      [](const VariantFinding& a, const VariantFinding& b) { return a.write > b.write; });
  for (const VariantFinding& finding : diverging) {
    analysis.suspects.push_back(finding.rules);
    if (finding.write == diverging.front().write) {
      analysis.tied.push_back(finding.rules);
    }
  }
  if (analysis.tied.size() < 2) {
    analysis.tied.clear();
  }
  return analysis;
}

}  // namespace likematch
