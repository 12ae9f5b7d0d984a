#pragma once

#include "core/engine/match_rules.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

// --rule ever|latest and --once, the same on every subcommand that matches.
void add_rule_options(CLI::App& app, MatchRules& rules);

}  // namespace likematch::cli
