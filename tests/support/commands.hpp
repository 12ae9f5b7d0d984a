#pragma once

// `likematch replay` and `likematch generate` run in this process, for tests of what they say.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cli/generate.hpp"
#include "cli/replay.hpp"
#include "tests/support/captured_output.hpp"

namespace likematch::test {

inline ProcessResult replay(const cli::ReplayOptions& options) {
  return run_in_process(cli::run_replay, options);
}

inline cli::ReplayOptions on_files(std::vector<std::string> files) {
  cli::ReplayOptions options;
  options.files = std::move(files);
  return options;
}

inline ProcessResult generate(const cli::GenerateOptions& options) {
  return run_in_process(cli::run_generate, options);
}

// A small stream's options: EVENTS events among USERS users from SEED.
inline cli::GenerateOptions small(std::uint64_t events, std::uint64_t users, std::uint64_t seed) {
  cli::GenerateOptions options;
  options.generator.events = events;
  options.generator.users = users;
  options.generator.seed = seed;
  return options;
}

}  // namespace likematch::test
