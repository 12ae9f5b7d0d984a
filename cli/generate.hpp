#pragma once

#include <string>

#include "cli/output.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct GenerateOptions {
  GeneratorOptions generator;
  std::string expected_file;  // empty: do not write the expected matches
  MatchRules rules;
};

void setup_generate(CLI::App& app, GenerateOptions& options);
int run_generate(const GenerateOptions& options, const Output& output = {});

}  // namespace likematch::cli
