#include "cli/shared_options.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <utility>

#include "cli/messages.hpp"
#include "cli/option_values.hpp"

namespace likematch::cli {

GeneratorFlags add_generator_options(CLI::App& app, GeneratorOptions& options, bool arrival) {
  GeneratorFlags flags;
  flags.events = add_number<std::uint64_t>(app, "--events", options.events, 0,
                                           "Number of events (sequence numbers 1..N)");
  flags.users = add_number<std::uint64_t>(app, "--users", options.users, 1,
                                          "User ids are drawn uniformly from 1..U")
                    ->type_name("U");
  add_number<std::uint64_t>(app, "--seed", options.seed, 0,
                            "Seed: the same seed gives the same events on every machine")
      ->type_name("S");
  app.add_flag("--self-likes", options.self_likes,
               "Allow events from a user to itself, at the rate of independent draws (about 1 "
               "event in --users)");
  // Options that cannot make a stream are a usage error, found as the command line is read.
  app.callback([&options] {
    if (const auto problem = check(options)) {
      throw CLI::ValidationError(generator_problem(*problem));
    }
  });
  if (!arrival) {
    return flags;
  }
  app.add_option_function<std::string>(
         "--shuffle",
         [&options](const std::string& text) {
           // Checked by the transform below: this cannot fail.
           (void)parse_shuffle(text, options.shuffle);
         },
         "Arrival order: full (uniform), none (in order) or window:K (each event fewer than K "
         "places from its own)")
      ->transform(CLI::Validator(
          [](std::string& text) {
            Shuffle shuffle;
            if (auto error = parse_shuffle(text, shuffle)) {
              return *error;
            }
            text = to_string(shuffle);
            return std::string();
          },
          "", "shuffle"))
      ->default_str(to_string(options.shuffle))
      ->type_name("MODE");
  return flags;
}

std::string generator_problem(GeneratorProblem problem) {
  switch (problem) {
    case GeneratorProblem::no_users:
      return "the number of users must be at least 1";
    case GeneratorProblem::one_user:
      return "one user can only like itself: use --users 2 or more, or --self-likes";
  }
  return "the generator cannot make this stream";
}

std::optional<std::string> memory_problem(const GeneratorOptions& options,
                                          std::size_t bytes_per_event) {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) {
    return std::nullopt;  // unknown: the allocation will tell
  }
  const double memory = static_cast<double>(pages) * static_cast<double>(page_size);
  const double needed = static_cast<double>(options.events) * static_cast<double>(bytes_per_event);
  if (needed <= memory) {
    return std::nullopt;
  }
  constexpr double k_gib = 1024.0 * 1024.0 * 1024.0;
  return fmt::format(
      "{} do not fit in memory: they are held at once, about {:.1f} GiB, and this machine has "
      "{:.1f} GiB; use fewer --events",
      plural(options.events, "event", "events"), needed / k_gib, memory / k_gib);
}

std::string out_of_memory(const GeneratorOptions& options) {
  return fmt::format("{} do not fit in memory (they are held at once); use fewer --events",
                     plural(options.events, "event", "events"));
}

void add_network_options(CLI::App& app, const NetworkFields& fields, const std::string& dialing) {
  app.add_option("--bind", fields.bind, "Address or name to listen on (0.0.0.0: every interface)")
      ->check(non_empty())
      ->type_name("ADDR")
      ->capture_default_str();
  add_number<std::uint16_t>(app, "--source-port", fields.source_port, 0,
                            "Port of the Event Source (0 when listening: any free port)")
      ->type_name("PORT");
  add_number<std::uint16_t>(app, "--listener-port", fields.listener_port, 0,
                            "Port of the Event Listeners (0 when listening: any free port)")
      ->type_name("PORT");
  add_duration(app, "--connect-timeout", fields.connect_timeout, DurationUnit::seconds,
               /*positive=*/false,
               "When dialing (" + dialing + "): keep trying this long for a port to accept");
}

std::optional<std::string> dial_port_problem(std::uint16_t source_port,
                                             std::uint16_t listener_port) {
  for (const auto& [port, option] :
       {std::pair{source_port, "--source-port"}, std::pair{listener_port, "--listener-port"}}) {
    if (port == 0) {
      return fmt::format("{} 0 (any free port) is for listening: give the port to dial", option);
    }
  }
  return std::nullopt;
}

void add_limit_options(CLI::App& app, EngineOptions& options) {
  add_number<std::size_t>(app, "--max-line-length", options.max_line_length, 1,
                          "A longer line (not counting its line end) is reported and skipped "
                          "without being buffered")
      ->type_name("BYTES");
  add_number<std::size_t>(app, "--max-buffered", options.max_buffered, 1,
                          "At most this many events may wait for an earlier sequence number; "
                          "one more ends the input there (what arrived is decided)");
}

}  // namespace likematch::cli
