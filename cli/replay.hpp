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

enum class ReplayFormat {
  plain,  // one sequence number per line (with --explain, the events that made the match)
  json,   // one object per match
};

struct ReplayOptions {
  std::vector<std::string> files;  // empty or "-": standard input
  EngineOptions engine;            // --rule, --once, --max-line-length, --max-buffered
  bool explain = false;
  ReplayFormat format = ReplayFormat::plain;
  bool compare_rules = false;  // print every rule variant's count and where they diverge
  bool strict = false;
  bool stats = false;
  std::uint64_t max_warnings = k_warnings_shown;  // 0: none printed (silenced)
};

// Options that say opposite things are refused (a usage error naming both): --format json
// with --explain or --compare-rules, --compare-rules with --rule or --once.
void setup_replay(CLI::App& app, ReplayOptions& options);
int run_replay(const ReplayOptions& options, const Output& output = {});

}  // namespace likematch::cli
