#include "cli/rule_options.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace likematch::cli {

void add_rule_options(CLI::App& app, MatchRules& rules) {
  app.add_option_function<std::string>(
         "--rule",
         [&rules](const std::string& text) {
           const auto rule = parse_rule(text);
           if (!rule) {
             throw CLI::ValidationError("--rule", "expected ever or latest, got '" + text + "'");
           }
           rules.rule = *rule;
         },
         "What makes a match: 'ever' (an earlier like the other way) or 'latest' (the latest "
         "event the other way is a like) [default: ever]")
      ->type_name("RULE");
  app.add_flag("--once", rules.once, "A pair of users matches at most once, at its first match");
}

}  // namespace likematch::cli
