#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
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

// The events are drawn whole in memory (to shuffle them and to know the matches): when
// `bytes_per_event` times their number is more than the machine's memory, the reason, said
// before anything is allocated (an allocation that big may even succeed, and then swap).
std::optional<std::string> memory_problem(const GeneratorOptions& options,
                                          std::size_t bytes_per_event);
// The same said after an allocation failed anyway.
std::string out_of_memory(const GeneratorOptions& options);

// The network options serve and harness share, bound to their fields: the address to listen
// on, the two ports, how long dialing retries. One wording, one set of defaults.
struct NetworkFields {
  std::string& bind;
  std::uint16_t& source_port;
  std::uint16_t& listener_port;
  std::chrono::milliseconds& connect_timeout;
};
// `dialing`: what the ports are dialed for, in the help ("with --connect").
void add_network_options(CLI::App& app, const NetworkFields& fields, const std::string& dialing);

// Port 0 means "any free port", which can be listened on but not dialed.
std::optional<std::string> dial_port_problem(std::uint16_t source_port,
                                             std::uint16_t listener_port);

// --max-line-length and --max-buffered, the engine's limits, for replay and serve.
void add_limit_options(CLI::App& app, EngineOptions& options);

}  // namespace likematch::cli
