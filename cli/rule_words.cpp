#include "cli/rule_words.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace likematch::cli {

std::string describe(const MatchRules& rules) {
  std::string text(to_string(rules.rule));
  if (rules.once) {
    text += " --once";
  }
  return text;
}

std::string rule_options(const MatchRules& rules) {
  return fmt::format("--rule {}", describe(rules));
}

std::string explain(const VariantExplanation& explanation) {
  const Match& m = explanation.match;
  std::string text = fmt::format("{} LIKE_LIKED {}->{}, answering {}->{} at {}", m.seq, m.from,
                                 m.to, m.to, m.from, m.answering_seq);
  std::vector<std::string> yes;
  std::vector<std::string> no;
  const bool latest_refused = (explanation.variants & variant_bit({Rule::latest, false})) == 0;
  for (const MatchRules& rules : k_rule_variants) {
    if ((explanation.variants & variant_bit(rules)) != 0) {
      yes.push_back(describe(rules));
      continue;
    }
    std::string reason;
    if (rules.rule == Rule::latest && latest_refused) {
      const std::optional<Event>& taken_back = explanation.withdrawal;
      reason = taken_back
                   ? fmt::format("{}->{} took the like back with {} at {}", taken_back->from,
                                 taken_back->to, to_string(taken_back->type), taken_back->seq)
                   : fmt::format("{}->{} took the like back", m.to, m.from);
    } else {
      reason = fmt::format("the pair matched at {}", rules.rule == Rule::ever
                                                         ? explanation.first_match_ever
                                                         : explanation.first_match_latest);
    }
    no.push_back(fmt::format("{} ({})", describe(rules), reason));
  }
  text += fmt::format(": a match under {}", fmt::join(yes, ", "));
  if (!no.empty()) {
    text += fmt::format("; not under {}", fmt::join(no, ", "));
  }
  return text;
}

namespace {

std::string finding_line(const VariantFinding& finding) {
  const std::string name = describe(finding.rules);
  switch (finding.kind) {
    case VariantFinding::Kind::same_list:
      return fmt::format("{}: the same list", name);
    case VariantFinding::Kind::same_as_sent:
      return fmt::format("{}: the same numbers up to the last one sent", name);
    case VariantFinding::Kind::diverges:
      break;
  }
  std::string what;
  if (finding.sent_only) {
    what = fmt::format("would not have sent {} (sent as number {})", finding.seq, finding.place);
  } else if (!finding.before) {
    what = fmt::format("would have sent {} after the last number", finding.seq);
  } else {
    what = fmt::format("would have sent {} before {} (sent as number {})", finding.seq,
                       *finding.before, finding.place);
  }
  return fmt::format("{}: {}: {}", name, what,
                     finding.why ? explain(*finding.why) : fmt::format("{}", finding.seq));
}

}  // namespace

std::vector<std::string> error_analysis_lines(const ErrorAnalysis& analysis) {
  std::vector<std::string> lines;
  const std::string_view whole = analysis.whole_list ? ", the whole list" : "";
  if (analysis.sent == 0) {
    lines.push_back(fmt::format("the listener had been sent no number (rule {}{})",
                                describe(analysis.sent_rules), whole));
  } else {
    lines.push_back(fmt::format("the listener had been sent {} number{}, the last {} (rule {}{})",
                                analysis.sent, analysis.sent == 1 ? "" : "s", *analysis.last,
                                describe(analysis.sent_rules), whole));
  }
  for (const VariantFinding& finding : analysis.findings) {
    lines.push_back(finding_line(finding));
  }
  if (analysis.suspects.empty()) {
    lines.push_back(
        "the four rule variants agree on everything sent: the fault is not the rule (see the "
        "warnings about the input above, and the harness's own log)");
    return lines;
  }
  if (!analysis.tied.empty()) {
    std::vector<std::string> names;
    for (const MatchRules& rules : analysis.tied) {
      names.push_back(describe(rules));
    }
    lines.push_back(fmt::format(
        "{} diverge from what was sent within one write: which the listener caught is not "
        "known, so their order below is a guess",
        fmt::join(names, ", ")));
  }
  std::vector<std::string> tries;
  for (const MatchRules& rules : analysis.suspects) {
    tries.push_back(rule_options(rules));
  }
  lines.push_back(fmt::format("try: likematch serve {}", fmt::join(tries, ", else ")));
  return lines;
}

}  // namespace likematch::cli
