#include "cli/demo.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <thread>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "cli/json_text.hpp"
#include "cli/logging.hpp"
#include "cli/messages.hpp"
#include "cli/rule_options.hpp"
#include "cli/serve.hpp"
#include "cli/shared_options.hpp"

namespace likematch::cli {

namespace {

// The bound on waiting for the server to read the listener's verdict after the harness wrote
// it: the server signals at once, so this is only reached when no verdict was written.
constexpr std::chrono::milliseconds k_verdict_wait{2'000};

}  // namespace

void setup_demo(CLI::App& app, DemoOptions& options) {
  app.description(
      "Run likematch serve and likematch harness together in this process, on free loopback "
      "ports, for one session of the challenge's default size, and print the listener's "
      "transcript and the time to MATCH END - OK.");
  app.footer(
      "Examples:\n"
      "  likematch demo\n"
      "  likematch demo --events 10000000 --users 90000 --log-level warn\n"
      "  likematch demo --self-likes --self-like-rule match");
  add_generator_options(app, options.generator, /*arrival=*/false);
  add_rule_options(app, options.rules);
  add_log_options(app, options.log);
}

int run_demo(const DemoOptions& options, const Output& output) {
  if (const auto problem = check(options.generator)) {
    print_message(output, generator_problem(*problem));
    return k_exit_usage;
  }
  // Said before the server starts, so that nothing is logged for a run that cannot be.
  if (const auto problem = harness_memory_problem(options.generator)) {
    print_message(output, *problem);
    return k_exit_failure;
  }
  ServeOptions serve;
  serve.log = options.log;
  serve.server.source_port = 0;  // free ports, so that a real server on 9090/9099 is no obstacle
  serve.server.listener_port = 0;
  serve.hub.engine.rules = options.rules;
  const auto logger = make_logger(serve.log, output);
  log_start(*logger, "demo", generator_settings(options.generator, options.rules));
  // The harness below ends the run; Ctrl-C keeps its default meaning for the whole process
  // (ServerOptions::handle_signals is off).
  ServeInstance server(serve, logger, output);
  if (const auto& error = server.start_error()) {
    log_with_fields(*logger, spdlog::level::err, *error,
                    fmt::format(R"("error":{})", json_quote(*error)));
    return k_exit_failure;
  }

  HarnessOptions harness;
  harness.generator = options.generator;
  harness.rules = options.rules;
  harness.log = options.log;
  harness.plan.source_port = server.source_port();
  harness.plan.listener_port = server.listener_port();

  std::thread server_thread([&server] { server.run(); });
  int status = k_exit_failure;
  try {
    HarnessHooks hooks;
    // The server logs to the same terminal as it goes: the progress line makes way for each
    // of its lines (ProgressLine).
    hooks.progress_after = options.progress_after;
    hooks.log_start = false;  // the demo's start line said the settings
    status = run_harness(harness, output, hooks);
  } catch (...) {
    // A thread still joinable at the end of its scope would abort the process: stop the
    // server first, then let main say what went wrong.
    server.stop();
    server_thread.join();
    throw;
  }
  // The listener's verdict is on its way to the server as the harness returns: the session's
  // summary says the server read and logged it, so that the demo shows both sides of the
  // conversation.
  (void)server.wait_for_summaries(1, k_verdict_wait);
  server.stop();
  server_thread.join();
  return status;
}

}  // namespace likematch::cli
