#include "core/rules/rule_comparison.hpp"

#include <range/v3/algorithm/binary_search.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/set_algorithm.hpp>
#include <range/v3/view/take.hpp>
#include <range/v3/view/transform.hpp>

#include <algorithm>
#include <cstddef>
#include <limits>

namespace likematch {

void RuleComparison::on_variant_match(const Match& match, VariantSet variants) {
  for (std::size_t i = 0; i < k_rule_variants.size(); ++i) {
    if ((variants & variant_bit(k_rule_variants[i])) != 0) {
      m_lists[i].push_back(match.seq);
    }
  }
  VariantExplanation explanation{match, variants, std::nullopt, 0, 0, 0};
  const Pair unordered{std::min(match.from, match.to), std::max(match.from, match.to)};
  // A withdrawal counts only if it came after the like this event answers.
  if (const auto it = m_withdrawals.find({match.to, match.from});
      it != m_withdrawals.end() && it->second.seq > match.answering_seq) {
    explanation.withdrawal = Event{it->second.seq, it->second.type, match.to, match.from};
  }
  if ((variants & variant_bit({Rule::ever, false})) != 0) {
    explanation.first_match_ever = m_first_ever.try_emplace(unordered, match.seq).first->second;
  }
  if ((variants & variant_bit({Rule::latest, false})) != 0) {
    explanation.first_match_latest = m_first_latest.try_emplace(unordered, match.seq).first->second;
  }
  // Under the self-like rule `match` every LIKE_LIKED from a user to itself comes here.
  if (match.from == match.to &&
      (variants & variant_bit({Rule::ever, false, SelfLikeRule::match})) != 0) {
    explanation.first_self_like =
        m_first_self_like.try_emplace(match.from, match.seq).first->second;
  }
  m_matches.emplace(match.seq, explanation);
}

void RuleComparison::on_decided(const Event& event) {
  if (!m_liked) {
    m_liked.emplace();
  }
  if (event.type == LikeType::liked) {
    m_liked->insert(event.from, event.to);
  } else if (m_liked->may_contain(event.from, event.to)) {
    m_withdrawals[{event.from, event.to}] = LastEvent{event.seq, event.type};
  }
}

std::optional<std::uint64_t> RuleComparison::first_divergence() const {
  // Every entry is a match under at least one variant; it diverges unless under all.
  for (const auto& [seq, explanation] : m_matches) {
    if (explanation.variants != k_all_variants) {
      return seq;
    }
  }
  return std::nullopt;
}

const std::vector<std::uint64_t>& RuleComparison::matches(const MatchRules& rules) const {
  return m_lists[variant_index(rules)];
}

std::vector<RuleComparison::Difference> RuleComparison::differences(const MatchRules& first,
                                                                    const MatchRules& second,
                                                                    std::size_t limit) const {
  // Both lists are sorted: the numbers in exactly one of them, smallest first.
  const std::vector<std::uint64_t>& a = matches(first);
  const std::vector<std::uint64_t>& b = matches(second);
  const auto most = static_cast<std::ptrdiff_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::ptrdiff_t>::max()));
  return ranges::views::set_symmetric_difference(a, b) | ranges::views::take(most) |
         ranges::views::transform([&a](std::uint64_t seq) {
           return Difference{seq, ranges::binary_search(a, seq)};
         }) |
         ranges::to<std::vector>();
}

std::optional<VariantExplanation> RuleComparison::explain(std::uint64_t seq) const {
  const auto it = m_matches.find(seq);
  if (it == m_matches.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace likematch
