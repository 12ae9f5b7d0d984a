#include "core/rule_comparison.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/matcher.hpp"

namespace likematch {

namespace {

std::size_t index_of(const MatchRules& rules) {
  for (std::size_t i = 0; i < k_rule_variants.size(); ++i) {
    if (k_rule_variants[i] == rules) {
      return i;
    }
  }
  return 0;
}

}  // namespace

void RuleComparison::on_candidate(const Match& match, std::uint8_t variants) {
  for (std::size_t i = 0; i < k_rule_variants.size(); ++i) {
    if ((variants & variant_bit(k_rule_variants[i])) != 0) {
      m_lists[i].push_back(match.seq);
    }
  }
  Candidate candidate{match, variants, Event{}, 0, 0};
  const Pair unordered{std::min(match.from, match.to), std::max(match.from, match.to)};
  if (const auto it = m_last_event.find({match.to, match.from});
      it != m_last_event.end() && it->second.type != LikeType::liked) {
    candidate.withdrawal = Event{it->second.seq, it->second.type, match.to, match.from};
  }
  if ((variants & Matcher::ever) != 0) {
    candidate.earlier_ever = m_first_ever.try_emplace(unordered, match.seq).first->second;
  }
  if ((variants & Matcher::latest) != 0) {
    candidate.earlier_latest = m_first_latest.try_emplace(unordered, match.seq).first->second;
  }
  m_candidates.emplace(match.seq, candidate);
}

void RuleComparison::on_decided(const Event& event) {
  m_last_event[{event.from, event.to}] = LastEvent{event.seq, event.type};
}

const std::vector<std::uint64_t>& RuleComparison::matches(const MatchRules& rules) const {
  return m_lists[index_of(rules)];
}

std::vector<RuleComparison::Difference> RuleComparison::differences(const MatchRules& first,
                                                                    const MatchRules& second,
                                                                    std::size_t limit) const {
  const std::vector<std::uint64_t>& a = matches(first);
  const std::vector<std::uint64_t>& b = matches(second);
  std::vector<Difference> found;
  std::size_t i = 0;
  std::size_t j = 0;
  while (found.size() < limit && (i < a.size() || j < b.size())) {
    if (j == b.size() || (i < a.size() && a[i] < b[j])) {
      found.push_back({a[i++], true});
    } else if (i == a.size() || b[j] < a[i]) {
      found.push_back({b[j++], false});
    } else {
      ++i;
      ++j;
    }
  }
  return found;
}

std::string RuleComparison::explain(std::uint64_t seq) const {
  const auto it = m_candidates.find(seq);
  if (it == m_candidates.end()) {
    return fmt::format("{}: not a match under any rule", seq);
  }
  const Candidate& c = it->second;
  const Match& m = c.match;
  std::string text = fmt::format("{} LIKE_LIKED {}->{}, answering {}->{} at {}", m.seq, m.from,
                                 m.to, m.to, m.from, m.answering_seq);
  std::vector<std::string> yes;
  std::vector<std::string> no;
  for (const MatchRules& rules : k_rule_variants) {
    if ((c.variants & variant_bit(rules)) != 0) {
      yes.push_back(describe(rules));
      continue;
    }
    std::string reason;
    const bool latest_refused = (c.variants & Matcher::latest) == 0;
    if (rules.rule == Rule::latest && latest_refused) {
      reason = c.withdrawal.seq != 0
                   ? fmt::format("{}->{} took the like back with {} at {}", c.withdrawal.from,
                                 c.withdrawal.to, to_string(c.withdrawal.type), c.withdrawal.seq)
                   : fmt::format("{}->{} took the like back", m.to, m.from);
    } else if (rules.rule == Rule::ever) {
      reason = fmt::format("the pair matched at {}", c.earlier_ever);
    } else {
      reason = fmt::format("the pair matched at {}", c.earlier_latest);
    }
    no.push_back(fmt::format("{} ({})", describe(rules), reason));
  }
  text += fmt::format(": a match under {}", fmt::join(yes, ", "));
  if (!no.empty()) {
    text += fmt::format("; not under {}", fmt::join(no, ", "));
  }
  return text;
}

}  // namespace likematch
