#pragma once

#include <cstddef>

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
GeneratorFlags add_generator_options(CLI::App& app, GeneratorOptions& options, bool arrival);

// --max-line-length and --max-buffered, the engine's limits, for replay and serve.
void add_limit_options(CLI::App& app, EngineOptions& options);

}  // namespace likematch::cli
