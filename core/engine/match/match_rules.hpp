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

// What a LIKE_LIKED from a user to that same user is (docs/protocol.md, "Self-likes").
enum class SelfLikeRule {
  literal,  // an event like any other: it answers an earlier LIKE_LIKED from A to A
  match,    // every one is a match, the first included (--once: only the first)
  ignore,   // never a match, and it changes no state
};

std::string_view to_string(Rule rule);
std::string_view to_string(SelfLikeRule rule);

struct MatchRules {
  Rule rule = Rule::ever;
  bool once = false;  // an unordered pair matches at most once, at its first match
  SelfLikeRule self_likes = SelfLikeRule::literal;

  friend bool operator==(const MatchRules&, const MatchRules&) = default;
};

// The twelve variants, in the order they are shown: the four (rule, once) variants under each
// self-like rule, literal first.
inline constexpr std::array<MatchRules, 12> k_rule_variants{{
    {Rule::ever, false, SelfLikeRule::literal},
    {Rule::latest, false, SelfLikeRule::literal},
    {Rule::ever, true, SelfLikeRule::literal},
    {Rule::latest, true, SelfLikeRule::literal},
    {Rule::ever, false, SelfLikeRule::match},
    {Rule::latest, false, SelfLikeRule::match},
    {Rule::ever, true, SelfLikeRule::match},
    {Rule::latest, true, SelfLikeRule::match},
    {Rule::ever, false, SelfLikeRule::ignore},
    {Rule::latest, false, SelfLikeRule::ignore},
    {Rule::ever, true, SelfLikeRule::ignore},
    {Rule::latest, true, SelfLikeRule::ignore},
}};

// A set of variants: bit i stands for k_rule_variants[i].
using VariantSet = std::uint16_t;
inline constexpr VariantSet k_all_variants = (1U << k_rule_variants.size()) - 1;

// The (rule, once) variants of one self-like rule take four consecutive bits.
inline constexpr int k_bits_per_self_like_rule = 4;

constexpr std::size_t variant_index(const MatchRules& rules) {
  return (rules.rule == Rule::latest ? 1 : 0) + (rules.once ? 2 : 0) +
         k_bits_per_self_like_rule * static_cast<std::size_t>(rules.self_likes);
}
constexpr VariantSet variant_bit(const MatchRules& rules) {
  return static_cast<VariantSet>(1U << variant_index(rules));
}

// The variants of an event from a user to another one: the self-like rules do not apply, so
// the (rule, once) bits `literal` (those of the literal variants) hold under all three.
constexpr VariantSet under_every_self_like_rule(VariantSet literal) {
  return static_cast<VariantSet>(literal | literal << k_bits_per_self_like_rule |
                                 literal << (2 * k_bits_per_self_like_rule));
}

}  // namespace likematch
