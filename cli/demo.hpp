#pragma once

#include <chrono>
#include <string>

#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct DemoOptions {
  GeneratorOptions generator;  // the challenge harness's defaults: 1,000,000 events, 9,000 users
  MatchRules rules;            // the server sends and the harness judges by these
  LogOptions log;
  // The session's progress line on a terminal appears after this long (no flag: tests
  // shorten it).
  std::chrono::milliseconds progress_after = PhaseNote::k_after;
};

void setup_demo(CLI::App& app, DemoOptions& options);
// `serve` and `harness` in one process on free loopback ports, one session: the harness's
// exit status (0 on MATCH END - OK).
int run_demo(const DemoOptions& options, const Output& output = {});

}  // namespace likematch::cli
