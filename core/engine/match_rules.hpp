#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace likematch {

// The two readings of "match" in the challenge text (see docs/protocol.md).
enum class Rule {
  ever,    // an earlier LIKE_LIKED the other way, whatever came after it
  latest,  // the latest earlier event the other way is LIKE_LIKED
};

struct MatchRules {
  Rule rule = Rule::ever;
  bool once = false;  // an unordered pair matches at most once, at its first match

  friend bool operator==(const MatchRules&, const MatchRules&) = default;
};

std::string_view to_string(Rule rule);
std::optional<Rule> parse_rule(std::string_view text);
// "ever", "latest --once", ...: how a user would ask for these rules.
std::string describe(const MatchRules& rules);

}  // namespace likematch
