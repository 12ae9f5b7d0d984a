#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "core/engine/match_rules.hpp"
#include "core/harness/generator.hpp"
#include "io/harness.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct HarnessOptions {
  GeneratorOptions generator;
  MatchRules rules;
  bool listen = false;
  std::string host = "127.0.0.1";
  std::string bind = "127.0.0.1";
  std::uint16_t source_port = 9090;
  std::uint16_t listener_port = 9099;
  std::size_t chunk_bytes = 0;
  bool crlf = false;
  io::ListenerStart listener_start = io::ListenerStart::with_source;
  std::uint64_t listener_delay_ms = 0;
  bool slow_reader = false;
  // No flag: tests only, in place of io::HarnessPlan's grace.
  std::optional<std::chrono::milliseconds> grace;
  double timeout_seconds = 120;
  double connect_timeout_seconds = 10;
  LogOptions log;
};

// For callers that run the harness beside a server in one process (tests, demo).
struct HarnessHooks {
  // Listen mode: both ports are listening (port 0 resolved) and the run is about to start.
  std::function<void(std::uint16_t source_port, std::uint16_t listener_port)> on_listening;
};

void setup_harness(CLI::App& app, HarnessOptions& options);
// 0 on MATCH END - OK, 1 on MATCH END - ERROR, 2 on timeout or connection failure.
int run_harness(const HarnessOptions& options, const Output& output = {},
                const HarnessHooks& hooks = {});

}  // namespace likematch::cli
