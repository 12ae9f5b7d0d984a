#include "core/rules/rule_comparison.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/engine/matcher.hpp"

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

constexpr std::size_t k_filter_bits = std::size_t{1} << 24;

// Two probe positions from one 64-bit mix of the pair (splitmix64's finaliser).
std::pair<std::size_t, std::size_t> probes(std::uint64_t from, std::uint64_t to) {
  std::uint64_t h = from * 0x9E3779B97F4A7C15ULL ^ (to + 0x632BE59BD9B4E019ULL);
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
  h ^= h >> 31;
  return {static_cast<std::size_t>(h) & (k_filter_bits - 1),
          static_cast<std::size_t>(h >> 40) & (k_filter_bits - 1)};
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
  // A withdrawal counts only if it came after the like this event answers.
  if (const auto it = m_withdrawals.find({match.to, match.from});
      it != m_withdrawals.end() && it->second.seq > match.answering_seq) {
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
  if (m_liked_filter.empty()) {
    m_liked_filter.resize(k_filter_bits / 64);
  }
  if (event.type == LikeType::liked) {
    mark_liked(event.from, event.to);
  } else if (maybe_liked(event.from, event.to)) {
    m_withdrawals[{event.from, event.to}] = LastEvent{event.seq, event.type};
  }
}

bool RuleComparison::maybe_liked(std::uint64_t from, std::uint64_t to) const {
  const auto [a, b] = probes(from, to);
  return ((m_liked_filter[a / 64] >> (a % 64)) & 1U) != 0 &&
         ((m_liked_filter[b / 64] >> (b % 64)) & 1U) != 0;
}

void RuleComparison::mark_liked(std::uint64_t from, std::uint64_t to) {
  const auto [a, b] = probes(from, to);
  m_liked_filter[a / 64] |= std::uint64_t{1} << (a % 64);
  m_liked_filter[b / 64] |= std::uint64_t{1} << (b % 64);
}

std::optional<std::uint64_t> RuleComparison::first_divergence() const {
  // A candidate is in at least one list; it diverges unless it is in all four.
  constexpr std::uint8_t k_all =
      Matcher::ever | Matcher::latest | Matcher::ever_once | Matcher::latest_once;
  for (const auto& [seq, candidate] : m_candidates) {
    if (candidate.variants != k_all) {
      return seq;
    }
  }
  return std::nullopt;
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
