#include "cli/rule_options.hpp"

#include <CLI/CLI.hpp>

#include <map>
#include <string>

namespace likematch::cli {

void add_rule_options(CLI::App& app, MatchRules& rules) {
  const std::map<std::string, Rule> names{{"ever", Rule::ever}, {"latest", Rule::latest}};
  // Through int: CLI11 2.1 cannot print an enum whose to_string returns a string_view.
  app.add_option<Rule, int>(
         "--rule", rules.rule,
         "What makes a match: 'ever' (an earlier like the other way) or 'latest' (the "
         "latest event the other way is a like) [default: ever]")
      ->transform(CLI::CheckedTransformer(names, CLI::ignore_case).description(""))
      ->type_name("RULE");
  app.add_flag("--once", rules.once, "A pair of users matches at most once, at its first match");
  const std::map<std::string, SelfLikeRule> self_like_names{{"literal", SelfLikeRule::literal},
                                                            {"match", SelfLikeRule::match},
                                                            {"ignore", SelfLikeRule::ignore}};
  app.add_option<SelfLikeRule, int>(
         "--self-like-rule", rules.self_likes,
         "What a LIKE_LIKED from a user to itself is: 'literal' (an event like any other: it "
         "answers an earlier one from the user to itself), 'match' (always a match, the first "
         "included) or 'ignore' (never a match) [default: literal]")
      ->transform(CLI::CheckedTransformer(self_like_names, CLI::ignore_case).description(""))
      ->type_name("RULE");
}

}  // namespace likematch::cli
