#include "cli/harness.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <optional>

#include <chrono>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/json_text.hpp"
#include "cli/logging.hpp"
#include "cli/messages.hpp"
#include "cli/option_values.hpp"
#include "cli/progress.hpp"
#include "cli/rule_options.hpp"
#include "cli/rule_words.hpp"
#include "cli/shared_options.hpp"
#include "core/harness/listener_check.hpp"
#include "core/harness/source_stream.hpp"
#include "core/rules/reference_matcher.hpp"
#include "io/endpoint.hpp"

namespace likematch::cli {

namespace {

using Clock = std::chrono::steady_clock;

// An event, its line in the source's stream (about 32 bytes) and its expected number.
constexpr std::size_t k_bytes_per_event = sizeof(Event) + 32 + sizeof(std::uint64_t);

double to_seconds(Clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

// The emulated listener: the check judges the bytes; once it has every expected number it
// asks for the plan's grace, and only silence through it (or the server's close) is OK.
// `received` follows check.received() for a progress line drawn from another thread.
io::ListenerScript listener_script(ListenerCheck& check, std::atomic<std::uint64_t>& received) {
  const auto reply = [&check]() -> std::optional<io::ListenerReply> {
    if (!check.decided()) {
      return std::nullopt;
    }
    // ERROR ends the run at once ("you must restart"); after OK the source finishes first.
    return io::ListenerReply{fmt::format("{}\n", to_string(verdict_of(check.state()))),
                             check.state() == ListenerCheck::State::error};
  };
  io::ListenerScript script;
  script.greeting = fmt::format("{}\n", k_match_begin);
  script.on_bytes = [&check, &received, reply](std::string_view bytes) {
    check.on_bytes(bytes);
    received.store(check.received(), std::memory_order_relaxed);
    return reply();
  };
  script.on_peer_closed = [&check, reply] {
    check.finish();
    return reply();
  };
  script.wants_quiet = [&check] { return check.state() == ListenerCheck::State::complete; };
  // Asked only when complete, which finish() turns into OK, or ERROR for part of a line more.
  script.on_quiet = [&check, reply] {
    check.finish();
    return reply().value();
  };
  return script;
}

std::string describe_progress(const ListenerCheck& check, const io::HarnessResult& result) {
  return fmt::format("{} of {} received; the source {}; the listener {}", check.received(),
                     plural(check.expected_count(), "number", "numbers"),
                     !result.source_connected ? "never connected"
                     : result.source_finished ? "sent its whole stream"
                                              : "did not finish its stream",
                     result.listener_connected ? "was connected" : "never connected");
}

// describe_progress's facts as JSON fields.
std::string progress_fields(const ListenerCheck& check, const io::HarnessResult& result) {
  return fmt::format(
      R"("received":{},"expected_numbers":{},"source_connected":{},"source_finished":{},)"
      R"("listener_connected":{})",
      check.received(), check.expected_count(), result.source_connected, result.source_finished,
      result.listener_connected);
}

}  // namespace

void setup_harness(CLI::App& app, HarnessOptions& options) {
  app.description(
      "Play the challenge's Event Source and Event Listener for one run against a server: send "
      "generated events, check every match number against the reference matcher, and say "
      "MATCH END - OK or MATCH END - ERROR.");
  app.footer(
      "Examples:\n"
      "  likematch harness            # against a serve listening on 9090 and 9099\n"
      "  likematch harness --listen   # wait for likematch serve --connect\n"
      "  SEQUENCE_COUNT=5000 USER_COUNT=100 likematch harness \\\n"
      "      --chunk-bytes 1 --crlf --listener-last");
  const GeneratorFlags flags = add_generator_options(app, options.generator, /*arrival=*/true);
  // The challenge's harness reads its sizes from these.
  flags.events->envname("SEQUENCE_COUNT");
  flags.users->envname("USER_COUNT");
  add_rule_options(app, options.rules);

  io::HarnessPlan& plan = options.plan;
  app.add_flag("--listen", plan.listen,
               "Listen on both ports and wait for the server to dial (likematch serve --connect) "
               "instead of dialing it");
  app.add_option("--host", plan.host, "Where to dial the server")
      ->check(non_empty())
      ->type_name("HOST")
      ->capture_default_str();
  add_network_options(app, {plan.bind, plan.source_port, plan.listener_port, plan.connect_timeout},
                      "without --listen");

  add_number<std::size_t>(app, "--chunk-bytes", plan.chunk_bytes, 0,
                          "Write the source's stream in pieces of K bytes, split anywhere (0: at "
                          "once)")
      ->type_name("K");
  app.add_flag("--crlf", options.crlf, "End the source's lines with CRLF");
  auto* first = app.add_flag_callback(
      "--listener-first", [&plan] { plan.listener_start = io::ListenerStart::first; },
      "Connect the listener first; the source once the listener is connected");
  auto* last = app.add_flag_callback(
      "--listener-last", [&plan] { plan.listener_start = io::ListenerStart::after_source_end; },
      "Connect the listener after the source has sent EVENT END");
  auto* delay =
      add_duration(app, "--listener-delay", plan.listener_delay, DurationUnit::milliseconds,
                   /*positive=*/false, "Connect the listener MS milliseconds after the source")
          ->each([&plan](const std::string&) {
            plan.listener_start = io::ListenerStart::after_delay;
          });
  first->excludes(last)->excludes(delay);
  last->excludes(delay);
  app.add_flag("--slow-reader", plan.slow_reader,
               "The listener reads in small pieces with pauses, as a busy harness might");
  add_duration(app, "--timeout", plan.timeout, DurationUnit::seconds, /*positive=*/true,
               "Give up (exit 3) if no verdict comes within this many seconds");
  add_log_options(app, options.log);
}

std::vector<StartSetting> generator_settings(const GeneratorOptions& generator,
                                             const MatchRules& rules) {
  const std::string shuffle = to_string(generator.shuffle);
  const std::string rule = describe(rules);
  return {
      {fmt::format("--events {}", generator.events), "events", std::to_string(generator.events)},
      {fmt::format("--users {}", generator.users), "users", std::to_string(generator.users)},
      {fmt::format("--seed {}", generator.seed), "seed", std::to_string(generator.seed)},
      {fmt::format("--shuffle {}", shuffle), "shuffle", json_quote(shuffle)},
      {generator.self_likes ? "self-likes" : "no self-likes", "self_likes",
       generator.self_likes ? "true" : "false"},
      {fmt::format("rule {}", rule), "rule", json_quote(rule)}};
}

namespace {

// The harness's first line: the run it will make, where, and its bound.
void log_harness_start(spdlog::logger& logger, const HarnessOptions& options) {
  const io::HarnessPlan& plan = options.plan;
  std::vector<StartSetting> settings = generator_settings(options.generator, options.rules);
  const std::string address = plan.listen ? plan.bind : plan.host;
  settings.push_back(
      {plan.listen ? fmt::format("--listen on {}", address) : fmt::format("--host {}", address),
       plan.listen ? "listen" : "host", json_quote(address)});
  settings.push_back({fmt::format("--source-port {}", plan.source_port), "source_port",
                      std::to_string(plan.source_port)});
  settings.push_back({fmt::format("--listener-port {}", plan.listener_port), "listener_port",
                      std::to_string(plan.listener_port)});
  const std::string timeout = format_duration(plan.timeout, DurationUnit::seconds);
  settings.push_back({fmt::format("--timeout {} s", timeout), "timeout_s", timeout});
  log_start(logger, "harness", settings);
}

}  // namespace

std::optional<std::string> harness_memory_problem(const GeneratorOptions& generator) {
  // The events, their stream's text and the expected numbers are all held at once.
  return memory_problem(generator, k_bytes_per_event);
}

int run_harness(const HarnessOptions& options, const Output& output, const HarnessHooks& hooks) {
  if (const auto problem = check(options.generator)) {
    print_message(output, generator_problem(*problem));
    return k_exit_usage;
  }
  if (!options.plan.listen) {
    if (const auto problem =
            dial_port_problem(options.plan.source_port, options.plan.listener_port)) {
      print_message(output, *problem);
      return k_exit_usage;
    }
  }
  if (const auto problem = harness_memory_problem(options.generator)) {
    print_message(output, *problem);
    return k_exit_failure;
  }
  // LOG_LEVEL is the challenge harness's own variable: an unknown value there only warns.
  const std::shared_ptr<spdlog::logger> logger = make_logger(options.log, output);
  const bool debug = logger->should_log(spdlog::level::debug);
  if (hooks.log_start) {
    log_harness_start(*logger, options);
  }
  std::vector<Event> events;
  std::vector<std::uint64_t> expected;
  std::string stream;
  try {
    const PhaseNote note(output, fmt::format("generating {} and their matches",
                                             plural(options.generator.events, "event", "events")));
    events = generate_events(options.generator);
    for (const Match& match : reference_matches(events, options.rules)) {
      expected.push_back(match.seq);
    }
    stream = source_stream(events, SourceFraming{.crlf = options.crlf});
  } catch (const std::bad_alloc&) {
    print_message(output, out_of_memory(options.generator));
    return k_exit_failure;
  } catch (const std::length_error&) {
    print_message(output, out_of_memory(options.generator));
    return k_exit_failure;
  }
  // The settings are in the start line; this says what they made.
  log_with_fields(*logger, spdlog::level::info,
                  fmt::format("harness: {} generated, {} expected",
                              plural(options.generator.events, "event", "events"),
                              plural(expected.size(), "match", "matches")),
                  fmt::format(R"("events":{},"expected_matches":{})", options.generator.events,
                              expected.size()));

  ListenerCheck check(std::move(expected));
  std::atomic<std::uint64_t> received{0};
  const Clock::time_point started = Clock::now();
  io::Harness harness(options.plan, std::move(stream), listener_script(check, received),
                      [&](std::string_view note) {
                        if (debug) {
                          const double at = to_seconds(Clock::now() - started);
                          log_with_fields(
                              *logger, spdlog::level::debug,
                              fmt::format("harness: [{:.3f} s] {}", at, note),
                              fmt::format(R"("elapsed_s":{:.3f},"note":{})", at, json_quote(note)));
                        }
                      });
  if (const auto error = harness.open()) {
    log_with_fields(*logger, spdlog::level::err, fmt::format("harness: {}", *error),
                    fmt::format(R"("error":{})", json_quote(*error)));
    return k_exit_no_verdict;
  }
  if (options.plan.listen) {
    // A routine line: at info, like every line that reports no problem.
    log_with_fields(
        *logger, spdlog::level::info,
        fmt::format("harness: listening on {} (Event Source) and {} (Event Listener)",
                    io::format_endpoint(options.plan.bind, harness.source_port()),
                    io::format_endpoint(options.plan.bind, harness.listener_port())),
        fmt::format(R"("address":{},"source_port":{},"listener_port":{})",
                    json_quote(options.plan.bind), harness.source_port(), harness.listener_port()));
    if (hooks.on_listening) {
      hooks.on_listening(harness.source_port(), harness.listener_port());
    }
  }

  io::HarnessResult result;
  {
    const std::uint64_t expected_count = check.expected_count();
    const ProgressLine progress(
        output,
        [&] {
          return fmt::format("{} {}, {} of {} received",
                             plural(options.generator.events, "event", "events"),
                             harness.source_finished() ? "sent" : "being sent",
                             received.load(std::memory_order_relaxed),
                             plural(expected_count, "number", "numbers"));
        },
        hooks.progress_after);
    result = harness.run();
  }

  if (result.listener_connected) {
    fmt::print(output.out, "{}\n({})\n", k_match_begin,
               plural(check.received(), "number", "numbers"));
  }
  if (result.reply) {
    std::string_view line = result.reply->line;
    line.remove_suffix(1);
    fmt::print(output.out, "{}\n", line);
    fmt::print(output.out, "time to {}: {:.3f} s from the source's connection\n", line,
               to_seconds(result.elapsed));
  }
  if (result.tail) {
    const double ms = std::chrono::duration<double, std::milli>(*result.tail).count();
    if (ms >= 0) {
      fmt::print(output.out,
                 "tail: {:.3f} ms from the source's last byte written to the last expected "
                 "number read\n",
                 ms);
    } else {
      fmt::print(output.out,
                 "tail: none, the last expected number was read {:.3f} ms before the source's "
                 "last byte was written\n",
                 -ms);
    }
  }
  std::fflush(output.out);
  switch (result.end) {
    case io::HarnessResult::End::replied:
      if (check.state() == ListenerCheck::State::error) {
        log_with_fields(*logger, spdlog::level::err,
                        fmt::format("harness: number {}: {}", check.received() + 1, check.reason()),
                        fmt::format(R"("number":{},"received":{},"error":{})", check.received() + 1,
                                    check.received(), json_quote(check.reason())));
        return k_exit_failure;
      }
      return k_exit_ok;
    case io::HarnessResult::End::timed_out:
      log_with_fields(*logger, spdlog::level::err,
                      fmt::format("harness: timed out after {} s: {}",
                                  format_duration(options.plan.timeout, DurationUnit::seconds),
                                  describe_progress(check, result)),
                      progress_fields(check, result));
      return k_exit_no_verdict;
    case io::HarnessResult::End::failed:
      log_with_fields(
          *logger, spdlog::level::err,
          fmt::format("harness: {} ({})", result.error, describe_progress(check, result)),
          fmt::format(R"("error":{},{})", json_quote(result.error),
                      progress_fields(check, result)));
      return k_exit_no_verdict;
  }
  return k_exit_failure;
}

}  // namespace likematch::cli
