#include "core/engine/match_rules.hpp"

namespace likematch {

std::string_view to_string(Rule rule) {
  switch (rule) {
    case Rule::ever:
      return "ever";
    case Rule::latest:
      return "latest";
  }
  return "?";
}

std::optional<Rule> parse_rule(std::string_view text) {
  if (text == "ever") {
    return Rule::ever;
  }
  if (text == "latest") {
    return Rule::latest;
  }
  return std::nullopt;
}

std::string describe(const MatchRules& rules) {
  std::string text(to_string(rules.rule));
  if (rules.once) {
    text += " --once";
  }
  return text;
}

}  // namespace likematch
