#include "core/engine/match_rules.hpp"

namespace likematch {

static_assert(k_rule_variants[variant_index({Rule::ever, false})] == MatchRules{Rule::ever, false});
static_assert(k_rule_variants[variant_index({Rule::latest, false})] ==
              MatchRules{Rule::latest, false});
static_assert(k_rule_variants[variant_index({Rule::ever, true})] == MatchRules{Rule::ever, true});
static_assert(k_rule_variants[variant_index({Rule::latest, true})] ==
              MatchRules{Rule::latest, true});

std::string_view to_string(Rule rule) {
  switch (rule) {
    case Rule::ever:
      return "ever";
    case Rule::latest:
      return "latest";
  }
  return "?";
}

}  // namespace likematch
