#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cli/logging.hpp"
#include "cli/output.hpp"
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
};

void setup_harness(CLI::App& app, HarnessOptions& options);
// Why the harness cannot hold these events (with their stream and expected numbers) in this
// machine's memory, if it cannot: checked before anything starts.
std::optional<std::string> harness_memory_problem(const GeneratorOptions& generator);
// 0 on MATCH END - OK, 1 on MATCH END - ERROR, 3 (no verdict) on timeout or connection failure.
int run_harness(const HarnessOptions& options, const Output& output = {},
                const HarnessHooks& hooks = {});

}  // namespace likematch::cli
