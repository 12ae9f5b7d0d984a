#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <exception>
#include <string>
#include <string_view>

#include "cli/exit_status.hpp"
#include "cli/generate.hpp"
#include "cli/replay.hpp"

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
  } catch (const std::exception& error) {
    fmt::print(stderr, "likematch: {}\n", error.what());
    return k_exit_failure;
  }
  return k_exit_usage;
}
