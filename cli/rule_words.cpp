#include "cli/rule_words.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace likematch::cli {

std::string describe(const MatchRules& rules) {
  std::string text(to_string(rules.rule));
  if (rules.once) {
    text += " --once";
  }
  if (rules.self_likes != SelfLikeRule::literal) {
    text += fmt::format(" --self-like-rule {}", to_string(rules.self_likes));
  }
  return text;
}

std::string rule_options(const MatchRules& rules) {
  return fmt::format("--rule {}", describe(rules));
}

namespace {

// The four (rule, once) variants under the self-like rule `self_likes`: "a match under ever,
// latest; not under ever --once (the pair matched at 2), ...", each no with its reason.
std::string rule_clause(const VariantExplanation& explanation, SelfLikeRule self_likes) {
  const Match& m = explanation.match;
  const auto under = [&](MatchRules rules) {
    rules.self_likes = self_likes;
    return (explanation.variants & variant_bit(rules)) != 0;
  };
  const bool latest_refused = !under({Rule::latest, false});
  std::vector<std::string> yes;
  std::vector<std::string> no;
  for (std::size_t i = 0; i < k_bits_per_self_like_rule; ++i) {
    const MatchRules& rules = k_rule_variants[i];  // the literal one: its words are the rule's
    if (under(rules)) {
      yes.push_back(describe(rules));
      continue;
    }
    std::string reason;
    if (self_likes == SelfLikeRule::match) {
      // Every self-like is a match under `ever` and `latest`: only once refuses one.
      reason = fmt::format("the pair matched at {}", explanation.first_self_like);
    } else if (rules.rule == Rule::latest && latest_refused) {
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
  std::string text = yes.empty() ? std::string("a match under none")
                                 : fmt::format("a match under {}", fmt::join(yes, ", "));
  if (!no.empty()) {
    text += fmt::format("; not under {}", fmt::join(no, ", "));
  }
  return text;
}

// A LIKE_LIKED from a user to itself, under each self-like rule in turn.
std::string explain_self_like(const VariantExplanation& explanation) {
  const Match& m = explanation.match;
  const bool first = m.answering_seq == m.seq;  // nothing earlier: it answers itself
  std::string text = first ? fmt::format("{} LIKE_LIKED {}->{}, a self-like with no earlier one",
                                         m.seq, m.from, m.to)
                           : fmt::format("{} LIKE_LIKED {}->{}, a self-like answering {}->{} at {}",
                                         m.seq, m.from, m.to, m.to, m.from, m.answering_seq);
  text += ": --self-like-rule literal: ";
  text += first ? fmt::format("not a match (no earlier LIKE_LIKED {}->{})", m.to, m.from)
                : rule_clause(explanation, SelfLikeRule::literal);
  text += "; match: " + rule_clause(explanation, SelfLikeRule::match);
  text += "; ignore: not a match (self-likes are ignored)";
  return text;
}

}  // namespace

std::string explain(const VariantExplanation& explanation) {
  const Match& m = explanation.match;
  if (m.from == m.to) {
    return explain_self_like(explanation);
  }
  // Between two users the self-like rules do not apply: the literal variants speak for all.
  return fmt::format("{} LIKE_LIKED {}->{}, answering {}->{} at {}: {}", m.seq, m.from, m.to, m.to,
                     m.from, m.answering_seq, rule_clause(explanation, SelfLikeRule::literal));
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
        "every rule variant (--rule, --once, --self-like-rule) agrees on everything sent: the "
        "fault is not the rule (see the warnings about the input above, and the harness's own "
        "log)");
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
