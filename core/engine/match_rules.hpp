#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace likematch {

// The two readings of "match" in the challenge text (docs/protocol.md).
enum class Rule {
  ever,    // an earlier LIKE_LIKED the other way, whatever came after it
  latest,  // the latest earlier event the other way is LIKE_LIKED
};

std::string_view to_string(Rule rule);

struct MatchRules {
  Rule rule = Rule::ever;
  bool once = false;  // an unordered pair matches at most once, at its first match

  friend bool operator==(const MatchRules&, const MatchRules&) = default;
};

// The four variants, in the order they are shown.
inline constexpr std::array<MatchRules, 4> k_rule_variants{{
    {Rule::ever, false},
    {Rule::latest, false},
    {Rule::ever, true},
    {Rule::latest, true},
}};

// A set of variants: bit i stands for k_rule_variants[i].
using VariantSet = std::uint8_t;
inline constexpr VariantSet k_all_variants = (1U << k_rule_variants.size()) - 1;

constexpr std::size_t variant_index(const MatchRules& rules) {
  return (rules.rule == Rule::latest ? 1 : 0) + (rules.once ? 2 : 0);
}
constexpr VariantSet variant_bit(const MatchRules& rules) {
  return static_cast<VariantSet>(1U << variant_index(rules));
}

}  // namespace likematch
