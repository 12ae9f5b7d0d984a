#include "cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <string_view>

#include "cli/exit_status.hpp"

namespace likematch::cli {

namespace {

std::string version_text() {
  std::string text = "likematch " LIKEMATCH_VERSION;
  if (const std::string_view commit = LIKEMATCH_GIT_COMMIT; !commit.empty()) {
    text += fmt::format(" (git {})", commit);
  }
  return text;
}

std::string command_list(const CLI::App& app) {
  std::string list;
  for (const CLI::App* command : app.get_subcommands({})) {
    list += (list.empty() ? "" : ", ") + command->get_name();
  }
  return list;
}

// A usage error: CLI11's message, and which --help to read.
int usage_error(std::ostream& err, std::string_view message, std::string_view command) {
  err << "likematch: " << message << "\nRun 'likematch" << (command.empty() ? "" : " ") << command
      << " --help' for more information.\n";
  return k_exit_usage;
}

}  // namespace

std::unique_ptr<CLI::App> make_app(AppOptions& options) {
  auto app = std::make_unique<CLI::App>("likematch: find the matches in a stream of like events",
                                        "likematch");
  app->set_version_flag("--version", version_text());
  app->require_subcommand(1);
  app->footer(
      "Run 'likematch COMMAND --help' (or 'likematch help COMMAND') for a command's "
      "options, 'man likematch' for everything.");
  setup_replay(*app->add_subcommand("replay", "Print the matches of event files or stdin"),
               options.replay);
  setup_generate(*app->add_subcommand("generate", "Write generated test events"), options.generate);
  setup_harness(*app->add_subcommand("harness", "Play the challenge's harness against a server"),
                options.harness);
  setup_serve(*app->add_subcommand("serve", "Serve the Event Source and Event Listeners over TCP"),
              options.serve);
  setup_demo(*app->add_subcommand("demo", "Run serve and harness together for one session"),
             options.demo);
  setup_worker(*app->add_subcommand("worker",
                                    "Decide partitions of the matching for serve "
                                    "--jetstream"),
               options.worker);
  return app;
}

std::optional<int> parse_command_line(CLI::App& app, const std::vector<std::string>& args,
                                      std::ostream& out, std::ostream& err) {
  const auto command = [&app](const std::string& name) -> CLI::App* {
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == name) {
        return sub;
      }
    }
    return nullptr;
  };
  if (args.empty()) {
    return usage_error(err, fmt::format("a command is required: {}", command_list(app)), "");
  }
  const std::string& first = args.front();
  if (first == "help") {
    if (args.size() == 1) {
      out << app.help();
      return k_exit_ok;
    }
    if (const CLI::App* sub = command(args[1]); sub != nullptr && args.size() == 2) {
      out << sub->help(app.get_name());
      return k_exit_ok;
    }
    return usage_error(
        err, fmt::format("no help for '{}': the commands are {}", args[1], command_list(app)), "");
  }
  if (!first.starts_with('-') && command(first) == nullptr) {
    return usage_error(
        err, fmt::format("'{}' is not a command: the commands are {}", first, command_list(app)),
        "");
  }

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      app.exit(error, out, err);  // --help, --version
      return k_exit_ok;
    }
    const std::vector<CLI::App*> chosen = app.get_subcommands();
    return usage_error(err, error.what(), chosen.empty() ? "" : chosen.front()->get_name());
  }
  return std::nullopt;
}

int run_command(const CLI::App& app, const AppOptions& options) {
  if (app.got_subcommand("replay")) {
    return run_replay(options.replay);
  }
  if (app.got_subcommand("generate")) {
    return run_generate(options.generate);
  }
  if (app.got_subcommand("harness")) {
    return run_harness(options.harness);
  }
  if (app.got_subcommand("serve")) {
    return run_serve(options.serve);
  }
  if (app.got_subcommand("demo")) {
    return run_demo(options.demo);
  }
  if (app.got_subcommand("worker")) {
    return run_worker(options.worker);
  }
  return k_exit_usage;
}

}  // namespace likematch::cli
