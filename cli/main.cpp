#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <string_view>

#include "cli/demo.hpp"
#include "cli/exit_status.hpp"
#include "cli/generate.hpp"
#include "cli/harness.hpp"
#include "cli/replay.hpp"
#include "cli/serve.hpp"

namespace {

std::string version_text() {
  std::string text = "likematch " LIKEMATCH_VERSION;
  if (const std::string_view commit = LIKEMATCH_GIT_COMMIT; !commit.empty()) {
    text += fmt::format(" (git {})", commit);
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace likematch::cli;
  // A closed pipe (`likematch replay | head`) is a write error to handle, not a death.
  std::signal(SIGPIPE, SIG_IGN);

  CLI::App app{"likematch: find the matches in a stream of like events"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  ReplayOptions replay;
  setup_replay(*app.add_subcommand("replay", "Print the matches of event files or stdin"), replay);
  GenerateOptions generate;
  setup_generate(*app.add_subcommand("generate", "Write generated test events"), generate);
  HarnessOptions harness;
  setup_harness(*app.add_subcommand("harness", "Play the challenge's harness against a server"),
                harness);
  ServeOptions serve;
  setup_serve(*app.add_subcommand("serve", "Serve the Event Source and Event Listeners over TCP"),
              serve);

  DemoOptions demo;
  setup_demo(*app.add_subcommand("demo", "Run serve and harness together for one session"), demo);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? k_exit_ok : k_exit_usage;
  }

  try {
    if (app.got_subcommand("replay")) {
      return run_replay(replay);
    }
    if (app.got_subcommand("generate")) {
      return run_generate(generate);
    }
    if (app.got_subcommand("demo")) {
      return run_demo(demo);
    }
    if (app.got_subcommand("harness")) {
      return run_harness(harness);
    }
    if (app.got_subcommand("serve")) {
      return run_serve(serve);
    }
  } catch (const std::exception& error) {
    // Not fmt::print: it throws when standard error cannot be written either (`2>&1 | head`
    // after the reader left), and an exception out of main aborts.
    std::fprintf(stderr, "likematch: %s\n", error.what());
    return k_exit_failure;
  }
  return k_exit_usage;
}
