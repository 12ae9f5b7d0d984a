#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "cli/progress.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"
#include "io/harness.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct HarnessOptions {
  GeneratorOptions generator;
  MatchRules rules;
  // Where and how the two clients connect, when the listener starts, the timeouts, the
  // listener's grace (no flag: tests shorten it); the source's bytes are made from the above.
  io::HarnessPlan plan;
  bool crlf = false;  // end the source's lines with CRLF
  LogOptions log;
};

// For callers that run the harness beside a server in one process (tests, demo).
struct HarnessHooks {
  // Listen mode: both ports are listening (port 0 resolved) and the run is about to start.
  std::function<void(std::uint16_t source_port, std::uint16_t listener_port)> on_listening;
  // The run's progress line on a terminal (ProgressLine) appears after this long; tests
  // shorten it.
  std::chrono::milliseconds progress_after = PhaseNote::k_after;
  // Log the harness's start line (version and settings); off where the caller (demo) logged
  // its own.
  bool log_start = true;
};

void setup_harness(CLI::App& app, HarnessOptions& options);
// The settings of the generated run, for a start line (log_start): --events, --users, --seed,
// --shuffle, --self-likes and the rule; harness and demo both start with them.
std::vector<StartSetting> generator_settings(const GeneratorOptions& generator,
                                             const MatchRules& rules);
// Why the harness cannot hold these events (with their stream and expected numbers) in this
// machine's memory, if it cannot: checked before anything starts.
std::optional<std::string> harness_memory_problem(const GeneratorOptions& generator);
// 0 on MATCH END - OK, 1 on MATCH END - ERROR, 3 (no verdict) on timeout or connection failure.
int run_harness(const HarnessOptions& options, const Output& output = {},
                const HarnessHooks& hooks = {});

}  // namespace likematch::cli
