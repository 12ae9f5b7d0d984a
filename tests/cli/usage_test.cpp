// The command line's conventions: every usage error in likematch's own words, with a guess for
// a mistyped option or command; -V and --version everywhere; `help` about anything.
#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "tests/support/parsed_command_line.hpp"

namespace likematch::cli {
namespace {

using test::parse;
using test::Parsed;

std::string usage(const std::string& message, const std::string& command) {
  return "likematch: " + message + "\nRun 'likematch" + (command.empty() ? "" : " " + command) +
         " --help' for more information.\n";
}

TEST_CASE("a mistyped option is named with the option it was probably meant to be",
          "[cli][usage]") {
  const Parsed typo = parse({"replay", "--exlpain"});
  CHECK(typo.status == std::optional<int>(k_exit_usage));
  CHECK(typo.err == usage("unknown option '--exlpain' (did you mean '--explain'?)", "replay"));

  const Parsed with_value = parse({"serve", "--conect-timeout=120"});
  CHECK(with_value.err ==
        usage("unknown option '--conect-timeout' (did you mean '--connect-timeout'?)", "serve"));

  const Parsed far = parse({"replay", "--colour"});
  CHECK(far.err == usage("unknown option '--colour'", "replay"));

  const Parsed top = parse({"--verison"});
  CHECK(top.err == usage("unknown option '--verison' (did you mean '--version'?)", ""));
}

TEST_CASE("a mistyped command is named with the command it was probably meant to be",
          "[cli][usage]") {
  const std::string commands = ": the commands are replay, generate, harness, serve, demo, worker";
  CHECK(parse({"replya"}).err ==
        usage("'replya' is not a command (did you mean 'replay'?)" + commands, ""));
  CHECK(parse({"serv", "--bind", "::1"}).err ==
        usage("'serv' is not a command (did you mean 'serve'?)" + commands, ""));
  CHECK(parse({"help", "harnes"}).err ==
        usage("no help for 'harnes' (did you mean 'harness'?)" + commands, ""));
}

TEST_CASE("an argument a command does not take is named", "[cli][usage]") {
  CHECK(parse({"serve", "extra"}).err == usage("unexpected argument 'extra'", "serve"));
  CHECK(parse({"generate", "--events", "5", "more"}).err ==
        usage("unexpected argument 'more'", "generate"));
}

TEST_CASE("a repeated option and a missing value are said in likematch's words", "[cli][usage]") {
  CHECK(parse({"generate", "--events", "5", "--events", "6"}).err ==
        usage("--events: given more than once", "generate"));
  CHECK(parse({"generate", "--events"}).err == usage("--events: needs a value (N)", "generate"));
  CHECK(parse({"replay", "--explain=x"}).err ==
        usage("--explain: takes no value, got 'x'", "replay"));
}

TEST_CASE(
    "the short version flag prints the version as --version does, before or after a "
    "command",
    "[cli][usage]") {
  const Parsed long_flag = parse({"--version"});
  REQUIRE(long_flag.status == std::optional<int>(k_exit_ok));
  CHECK(long_flag.out.starts_with("likematch "));
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"-V"}, {"serve", "--version"}, {"replay", "-V"}, {"harness", "--version"}}) {
    const Parsed parsed = parse(args);
    CHECK(parsed.status == std::optional<int>(k_exit_ok));
    CHECK(parsed.out == long_flag.out);
    CHECK(parsed.err.empty());
  }
}

TEST_CASE("help about help is the overview; help about two things is a usage error",
          "[cli][usage]") {
  const Parsed overview = parse({"help"});
  const Parsed help_help = parse({"help", "help"});
  CHECK(help_help.status == std::optional<int>(k_exit_ok));
  CHECK(help_help.out == overview.out);

  const Parsed extra = parse({"help", "serve", "extra"});
  CHECK(extra.status == std::optional<int>(k_exit_usage));
  CHECK(extra.err == usage("help takes one command, got serve extra", ""));
}

}  // namespace
}  // namespace likematch::cli
