#pragma once

#include <string>

#include "core/engine/engine.hpp"
#include "core/harness/generator.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace likematch::cli {

struct GeneratorFlags {
  CLI::Option* events;
  CLI::Option* users;
};

// --events, --users, --seed, --self-likes and, with `arrival`, --shuffle: the same words for
// generate, harness and demo. The harness adds its environment variables to the result.
// Sets the app's callback: options that cannot make a stream are a usage error.
GeneratorFlags add_generator_options(CLI::App& app, GeneratorOptions& options, bool arrival);

// What stops the generator, in words, with advice in options every generating command has.
std::string generator_problem(GeneratorProblem problem);

// --max-line-length and --max-buffered, the engine's limits, for replay and serve.
void add_limit_options(CLI::App& app, EngineOptions& options);

}  // namespace likematch::cli
