#include "cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <regex>
#include <string_view>

#include "cli/did_you_mean.hpp"
#include "cli/exit_status.hpp"
#include "cli/help_format.hpp"
#include "cli/version.hpp"

namespace likematch::cli {

namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands({})) {
    names.push_back(command->get_name());
  }
  return names;
}

// "replay, generate, harness, serve, demo, worker".
std::string command_list(const CLI::App& app) {
  return fmt::format("{}", fmt::join(command_names(app), ", "));
}

// Every name an option of `app` answers to: "--explain", "-h".
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
    for (const std::string& name : option->get_snames()) {
      names.push_back("-" + name);
    }
  }
  return names;
}

// A usage error: the message, and which --help to read.
int usage_error(std::ostream& err, std::string_view message, std::string_view command) {
  err << "likematch: " << message << "\nRun 'likematch" << (command.empty() ? "" : " ") << command
      << " --help' for more information.\n";
  return k_exit_usage;
}

// "--exlpain" given to `app`, which has no such option: named, with the nearest it has.
std::string unknown_option(const CLI::App& app, const std::string& arg) {
  const std::string name = arg.substr(0, arg.find('='));
  return fmt::format("unknown option '{}'{}", name,
                     did_you_mean(closest_names(name, option_names(app))));
}

// CLI11's own words for what it finds wrong, in ours ("OPTION: what is wrong"). The others
// (a value refused by an option's check, two options that exclude each other) are ours already.
std::string usage_words(const CLI::ParseError& error) {
  static const std::regex missing(R"(^(\S+): \d+ required (\S+) missing$)");
  static const std::regex repeated(R"(^(\S+): At Most \d+ required but received \d+$)");
  static const std::regex flag_value(R"(^Could not convert: (\S+) = (.*)$)");
  const std::string what = error.what();
  std::smatch found;
  if (std::regex_match(what, found, missing)) {
    return fmt::format("{}: needs a value ({})", found.str(1), found.str(2));
  }
  if (std::regex_match(what, found, repeated)) {
    return fmt::format("{}: given more than once", found.str(1));
  }
  if (std::regex_match(what, found, flag_value)) {
    return fmt::format("{}: takes no value, got '{}'", found.str(1), found.str(2));
  }
  return what;
}

// A value refused for an option that was not on the command line came from the option's
// environment variable (SEQUENCE_COUNT for --events): the message names what the user set.
std::string named_as_given(std::string message, const CLI::App& command,
                           const std::vector<std::string>& args) {
  for (const CLI::Option* option : command.get_options()) {
    const std::string name = option->get_name();
    if (option->get_envname().empty() || !message.starts_with(name + ":")) {
      continue;
    }
    const bool on_line = std::any_of(args.begin(), args.end(), [&name](const std::string& arg) {
      return arg == name || arg.starts_with(name + "=");
    });
    if (!on_line) {
      message.replace(0, name.size(), option->get_envname());
    }
  }
  return message;
}

// Help and the version go to `out` through `write`; a write that fails (`--help > /dev/full`)
// is an error like any other output's, not a silent success.
template <typename Write>
int written(std::ostream& out, std::ostream& err, Write write) {
  errno = 0;  // the system's reason, whichever write (CLI11's std::endl included) failed
  write();
  out.flush();
  if (out) {
    return k_exit_ok;
  }
  const int error = errno != 0 ? errno : EIO;
  err << "likematch: cannot write standard output: " << std::strerror(error) << "\n";
  return k_exit_failure;
}

}  // namespace

std::unique_ptr<CLI::App> make_app(AppOptions& options) {
  auto app = std::make_unique<CLI::App>("likematch: find the matches in a stream of like events",
                                        "likematch");
  // Set before the commands are added: each takes a copy.
  app->formatter(std::make_shared<HelpFormatter>(help_width()));
  app->set_version_flag("-V,--version", version_text());
  app->require_subcommand(1);
  // What CLI11 does not know is left for parse_command_line to name, with a guess.
  app->allow_extras();
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
  for (CLI::App* command : app->get_subcommands({})) {
    command->set_version_flag("-V,--version", version_text());
    command->allow_extras();
  }
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
    if (args.size() > 2) {
      return usage_error(err,
                         fmt::format("help takes one command, got {}",
                                     fmt::join(args.begin() + 1, args.end(), " ")),
                         "");
    }
    // `help help` is help about help: the overview, which says how to ask about a command.
    if (args.size() == 1 || args[1] == "help") {
      return written(out, err, [&] { out << app.help(); });
    }
    if (const CLI::App* sub = command(args[1])) {
      return written(out, err, [&] { out << sub->help(app.get_name()); });
    }
    return usage_error(
        err,
        fmt::format("no help for '{}'{}: the commands are {}", args[1],
                    did_you_mean(closest_names(args[1], command_names(app))), command_list(app)),
        "");
  }
  if (!first.starts_with('-') && command(first) == nullptr) {
    return usage_error(
        err,
        fmt::format("'{}' is not a command{}: the commands are {}", first,
                    did_you_mean(closest_names(first, command_names(app))), command_list(app)),
        "");
  }
  if (first.starts_with('-') &&
      app.get_option_no_throw(first.substr(0, first.find('='))) == nullptr) {
    return usage_error(err, unknown_option(app, first), "");
  }

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      return written(out, err, [&] { app.exit(error, out, err); });  // --help, --version
    }
    const std::vector<CLI::App*> chosen = app.get_subcommands();
    if (chosen.empty()) {
      return usage_error(err, usage_words(error), "");
    }
    return usage_error(err, named_as_given(usage_words(error), *chosen.front(), args),
                       chosen.front()->get_name());
  }
  for (const CLI::App* chosen : app.get_subcommands()) {
    for (const std::string& extra : chosen->remaining()) {
      if (extra == "--") {
        continue;  // the end of the options, given with nothing after it to mark
      }
      return usage_error(err,
                         extra.starts_with('-') && extra != "-"
                             ? unknown_option(*chosen, extra)
                             : fmt::format("unexpected argument '{}'", extra),
                         chosen->get_name());
    }
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
