#pragma once

#include "core/engine/match/match_rules.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

// --rule ever|latest, --once and --self-like-rule literal|match|ignore, the same on every
// subcommand that matches or judges.
void add_rule_options(CLI::App& app, MatchRules& rules);

}  // namespace likematch::cli
