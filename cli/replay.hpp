#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/output.hpp"
#include "core/engine/engine.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct ReplayOptions {
  std::vector<std::string> files;  // empty or "-": standard input
  EngineOptions engine;            // --rule, --once, --max-line-length, --max-buffered
  bool explain = false;
  bool json = false;           // --format json: one object per match
  bool compare_rules = false;  // print every rule variant's count and where they part
  bool strict = false;
  bool stats = false;
  std::uint64_t max_warnings = 20;  // 0: no limit
};

void setup_replay(CLI::App& app, ReplayOptions& options);
int run_replay(const ReplayOptions& options, const Output& output = {});

}  // namespace likematch::cli
