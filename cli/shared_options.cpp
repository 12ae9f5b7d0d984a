#include "cli/shared_options.hpp"

#include <CLI/CLI.hpp>

#include <string>

#include "cli/validators.hpp"

namespace likematch::cli {

GeneratorFlags add_generator_options(CLI::App& app, GeneratorOptions& options, bool arrival) {
  GeneratorFlags flags;
  flags.events =
      app.add_option("--events", options.events, "Number of events (sequence numbers 1..N)")
          ->check(non_negative())
          ->capture_default_str();
  flags.users = app.add_option("--users", options.users, "User ids are drawn uniformly from 1..U")
                    ->check(at_least_one())
                    ->capture_default_str();
  app.add_option("--seed", options.seed,
                 "Seed: the same seed gives the same events on every machine")
      ->capture_default_str();
  app.add_flag("--self-likes", options.self_likes,
               "Allow events from a user to itself, at the rate of independent draws (about 1 "
               "event in --users)");
  if (!arrival) {
    return flags;
  }
  app.add_option_function<std::string>(
         "--shuffle",
         [&options](const std::string& text) {
           const auto shuffle = parse_shuffle(text);
           if (!shuffle) {
             throw CLI::ValidationError(
                 "--shuffle", "expected full, none or window:K with K >= 1, got '" + text + "'");
           }
           options.shuffle = *shuffle;
         },
         "Arrival order: full (uniform), none (in order) or window:K (each event fewer than K "
         "places from its own) [default: full]")
      ->type_name("MODE");
  return flags;
}

void add_limit_options(CLI::App& app, EngineOptions& options) {
  app.add_option("--max-line-length", options.max_line_length,
                 "A longer line is reported and skipped without being buffered")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--max-buffered", options.max_buffered,
                 "At most this many events may wait for an earlier sequence number; one more "
                 "ends the input there (what arrived is decided)")
      ->check(at_least_one())
      ->capture_default_str();
}

}  // namespace likematch::cli
