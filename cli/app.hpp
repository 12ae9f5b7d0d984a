#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/demo.hpp"
#include "cli/generate.hpp"
#include "cli/harness.hpp"
#include "cli/replay.hpp"
#include "cli/serve.hpp"
#include "cli/worker.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

// Every subcommand's options, as the command line fills them.
struct AppOptions {
  ReplayOptions replay;
  GenerateOptions generate;
  HarnessOptions harness;
  ServeOptions serve;
  DemoOptions demo;
  WorkerOptions worker;
};

// The whole command line, every subcommand bound to its part of `options` (which must outlive
// the App). main and the tests build it here, the same way.
std::unique_ptr<CLI::App> make_app(AppOptions& options);

// Parses `args` (without the program's name). std::nullopt: a subcommand was chosen and its
// options are set. Otherwise the exit status, after what was asked for (help, the version) went
// to `out` or the usage error to `err`: "likematch: MESSAGE" and where to find help, status 2.
// `likematch help [COMMAND]` is help; an unknown command is named with the list of commands.
std::optional<int> parse_command_line(CLI::App& app, const std::vector<std::string>& args,
                                      std::ostream& out, std::ostream& err);

// Runs the subcommand that parse_command_line chose; its exit status.
int run_command(const CLI::App& app, const AppOptions& options);

}  // namespace likematch::cli
