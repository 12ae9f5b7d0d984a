#include "cli/help_format.hpp"

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <regex>
#include <sstream>
#include <string>

#include "cli/app.hpp"

namespace likematch::cli {
namespace {

// Every command's --help, and the overview, as make_app lays them out now.
std::vector<std::string> every_help() {
  AppOptions options;
  const auto app = make_app(options);
  std::vector<std::string> helps{app->help()};
  for (const CLI::App* command : app->get_subcommands({})) {
    helps.push_back(command->help("likematch"));
  }
  return helps;
}

// An example a user copies: kept whole, whatever the width.
bool is_example(const std::string& line) {
  return line.starts_with("  likematch ") || line.starts_with("  LOG_LEVEL=") ||
         line.starts_with("  SEQUENCE_COUNT=") || line.starts_with("  tail ");
}

std::size_t widest(const std::vector<std::string>& helps, bool examples) {
  std::size_t width = 0;
  for (const std::string& help : helps) {
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);) {
      if (is_example(line) == examples) {
        width = std::max(width, line.size());
      }
    }
  }
  return width;
}

TEST_CASE("help is wrapped to $COLUMNS", "[cli][help]") {
  for (const std::size_t columns : {60, 80, 120}) {
    INFO("COLUMNS=" << columns);
    ::setenv("COLUMNS", std::to_string(columns).c_str(), 1);
    const std::vector<std::string> helps = every_help();
    ::unsetenv("COLUMNS");
    CHECK(widest(helps, /*examples=*/false) <= columns);
    if (columns > 80) {
      CHECK(widest(helps, /*examples=*/false) > 80);  // the room is used
    }
  }
}

TEST_CASE("help is 80 columns wide when standard output is no terminal", "[cli][help]") {
  ::unsetenv("COLUMNS");
  CHECK(help_width() == 80);  // the tests' standard output is a file or a pipe
  const std::vector<std::string> helps = every_help();
  CHECK(widest(helps, /*examples=*/false) <= 80);
  CHECK(widest(helps, /*examples=*/true) <= 80);
}

TEST_CASE("no words are glued to an option's name", "[cli][help]") {
  for (const std::string& help : every_help()) {
    CHECK(help.find("Excludes:") == std::string::npos);
    CHECK(help.find("(Env:") == std::string::npos);
  }
  AppOptions options;
  const auto app = make_app(options);
  // As words of the description, wherever the lines break.
  const auto words = [&app](const std::string& command) {
    std::string text = app->get_subcommand(command)->help("likematch");
    text = std::regex_replace(text, std::regex("\\s+"), " ");
    return text;
  };
  CHECK(words("replay").find("[not with --once, --rule, --self-like-rule]") != std::string::npos);
  CHECK(words("harness").find("[env: SEQUENCE_COUNT]") != std::string::npos);
}

TEST_CASE("a description wraps beside its name, under it when the name is long", "[cli][help]") {
  CHECK(wrap("one two three four", 9) == "one two\nthree\nfour");
  CHECK(wrap("one two three", 12, 4, 4) == "one two\n    three");
  CHECK(wrap("averyveryverylongword x", 5) == "averyveryverylongword\nx");
  CHECK(wrap("a\nb c", 80) == "a\nb c");
}

}  // namespace
}  // namespace likematch::cli
