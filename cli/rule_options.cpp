#include "cli/rule_options.hpp"

#include <CLI/CLI.hpp>

#include "cli/option_values.hpp"

namespace likematch::cli {

void add_rule_options(CLI::App& app, MatchRules& rules) {
  add_enum(app, "--rule", rules.rule, k_rule_names,
           "What makes a match: 'ever' (an earlier like the other way) or 'latest' (the "
           "latest event the other way is a like)")
      ->type_name("RULE");
  app.add_flag("--once", rules.once, "A pair of users matches at most once, at its first match");
  add_enum(app, "--self-like-rule", rules.self_likes, k_self_like_rule_names,
           "What a LIKE_LIKED from a user to itself is: 'literal' (an event like any other: it "
           "answers an earlier one from the user to itself), 'match' (always a match, the first "
           "included) or 'ignore' (never a match)")
      ->type_name("RULE");
}

}  // namespace likematch::cli
