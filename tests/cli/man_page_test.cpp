// The man page: lint-clean, its quotes not nested by mistake, and in step with the command line:
// every option a subcommand's --help lists is in that subcommand's SYNOPSIS and in its own
// part of OPTIONS, and the reverse.
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "cli/app.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/child_process.hpp"

namespace likematch::test {
namespace {

const std::filesystem::path k_page =
    std::filesystem::path(LIKEMATCH_SOURCE_DIR) / "man" / "likematch.1";

// scripts/install-deps.sh installs mandoc and groff; a check that needs one that is missing is
// skipped, and says so.
std::optional<std::string> find_program(const std::string& name) {
  for (const std::string directory : {"/usr/bin/", "/usr/local/bin/"}) {
    if (::access((directory + name).c_str(), X_OK) == 0) {
      return directory + name;
    }
  }
  return std::nullopt;
}

std::optional<std::string> find_mandoc() {
  return find_program("mandoc");
}

// mandoc -T ascii writes bold as "c\bc" and underlining as "_\bc": keep the last of each.
std::string strip_overstrike(const std::string& text) {
  std::string plain;
  for (const char c : text) {
    if (c == '\b' && !plain.empty()) {
      plain.pop_back();
    } else {
      plain += c;
    }
  }
  return plain;
}

// The page as a reader sees it, without bold or underlining: by mandoc (what the tests above
// use) and by groff (what man-db runs when the package is installed), which differ in their
// defaults.
std::vector<std::pair<std::string, std::string>> renderings() {
  std::vector<std::pair<std::string, std::string>> pages;
  if (const auto mandoc = find_mandoc()) {
    const auto result = run_process(*mandoc, {"-T", "ascii", k_page.string()});
    REQUIRE(result.status == 0);
    pages.emplace_back("mandoc", strip_overstrike(result.out));
  }
  if (const auto groff = find_program("groff")) {
    const auto result =
        run_process(*groff, {"-mdoc", "-T", "ascii", "-P", "-cbou", k_page.string()});
    REQUIRE(result.status == 0);
    pages.emplace_back("groff", result.out);
  }
  if (pages.size() < 2) {
    WARN("rendered by " << pages.size()
                        << " of mandoc and groff (scripts/install-deps.sh installs both)");
  }
  return pages;
}

using OptionSets = std::map<std::string, std::set<std::string>>;  // command -> --options

// The options a line of mdoc names: the arguments of its "Fl" macros ("Fl \-max\-buffered"
// is --max-buffered; "Fl \-a | \-b" names both), up to the next macro ("Ar N").
std::set<std::string> options_in(const std::string& line) {
  static const std::regex macro("[A-Z][a-z]{1,2}");
  std::set<std::string> found;
  std::istringstream words(line.starts_with('.') ? line.substr(1) : line);
  bool flags = false;
  for (std::string word; words >> word;) {
    if (std::regex_match(word, macro)) {
      flags = word == "Fl";
    } else if (flags && word.starts_with("\\-")) {
      std::string name = "-";
      for (std::size_t i = 0; i < word.size(); ++i) {
        if (word[i] != '\\') {
          name += word[i];
        }
      }
      found.insert(name);
    }
  }
  return found;
}

// The options of each command in SYNOPSIS (from ".Cm NAME" to the next ".Nm").
OptionSets synopsis_options(const std::string& page) {
  OptionSets sets;
  std::istringstream in(page);
  bool synopsis = false;
  std::string command;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(".Sh ")) {
      synopsis = line == ".Sh SYNOPSIS";
      continue;
    }
    if (!synopsis) {
      continue;
    }
    if (line == ".Nm") {
      command.clear();
    } else if (line.starts_with(".Cm ") && command.empty()) {
      command = line.substr(4);
      sets[command];
    } else if (!command.empty()) {
      for (const std::string& option : options_in(line)) {
        sets[command].insert(option);
      }
    }
  }
  return sets;
}

// The options each ".Ss NAME" of OPTIONS describes in its ".It" lines.
OptionSets described_options(const std::string& page) {
  OptionSets sets;
  std::istringstream in(page);
  bool options = false;
  std::string command;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(".Sh ")) {
      options = line == ".Sh OPTIONS";
      command.clear();
      continue;
    }
    if (!options) {
      continue;
    }
    if (line.starts_with(".Ss ")) {
      command = line.substr(4);
      sets[command];
    } else if (!command.empty() && line.starts_with(".It ")) {
      for (const std::string& option : options_in(line)) {
        sets[command].insert(option);
      }
    }
  }
  return sets;
}

// What each subcommand's --help lists, from the App that main builds.
OptionSets help_options() {
  cli::AppOptions options;
  const auto app = cli::make_app(options);
  OptionSets sets;
  for (const CLI::App* command : app->get_subcommands({})) {
    for (const CLI::Option* option : command->get_options()) {
      if (option != command->get_help_ptr() && option != command->get_version_ptr() &&
          option->nonpositional()) {
        sets[command->get_name()].insert(option->get_name());
      }
    }
  }
  return sets;
}

std::string joined(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) {
    text += " " + name;
  }
  return text;
}

TEST_CASE("the man page renders without warnings", "[man]") {
  const auto mandoc = find_mandoc();
  if (!mandoc) {
    WARN("skipped: mandoc is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  const auto result = run_process(*mandoc, {"-T", "lint", "-W", "warning", k_page.string()});
  INFO(result.out << result.err);
  CHECK(result.status == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

// A new user met this: ".Po Dq a , Dq b ... Pc" nested every quote in the one before.
TEST_CASE("the man page's double quotes open and close in turn", "[man]") {
  const auto mandoc = find_mandoc();
  if (!mandoc) {
    WARN("skipped: mandoc is not installed (scripts/install-deps.sh installs it)");
    return;
  }
  const auto result = run_process(*mandoc, {"-T", "utf8", k_page.string()});
  REQUIRE(result.status == 0);
  const std::string open = "\xE2\x80\x9C";
  const std::string close = "\xE2\x80\x9D";
  int depth = 0;
  int deepest = 0;
  for (std::size_t i = 0; i < result.out.size(); ++i) {
    if (result.out.compare(i, open.size(), open) == 0) {
      deepest = std::max(deepest, ++depth);
    } else if (result.out.compare(i, close.size(), close) == 0) {
      --depth;
      CHECK(depth >= 0);
    }
  }
  CHECK(depth == 0);
  CHECK(deepest == 1);
}

// A new user met this: the harness SYNOPSIS lacked --self-likes and --connect-timeout.
TEST_CASE("each command's SYNOPSIS lists exactly the options its --help lists", "[man]") {
  const OptionSets help = help_options();
  const OptionSets synopsis = synopsis_options(read_file(k_page));
  REQUIRE(help.size() == 6);
  for (const auto& [command, options] : help) {
    INFO("likematch " << command);
    REQUIRE(synopsis.count(command) == 1);
    std::set<std::string> missing;
    std::set<std::string> extra;
    for (const std::string& option : options) {
      if (synopsis.at(command).count(option) == 0) {
        missing.insert(option);
      }
    }
    for (const std::string& option : synopsis.at(command)) {
      if (options.count(option) == 0) {
        extra.insert(option);
      }
    }
    INFO("in --help, not in SYNOPSIS:" << joined(missing));
    INFO("in SYNOPSIS, not in --help:" << joined(extra));
    CHECK(missing.empty());
    CHECK(extra.empty());
  }
}

// A new user met this: --connect-timeout's sentence sat inside the harness's --listen item.
TEST_CASE("each command's part of OPTIONS has an item for exactly its options", "[man]") {
  const OptionSets help = help_options();
  const OptionSets described = described_options(read_file(k_page));
  for (const auto& [command, options] : help) {
    INFO("likematch " << command);
    REQUIRE(described.count(command) == 1);
    std::set<std::string> missing;
    std::set<std::string> extra;
    for (const std::string& option : options) {
      if (described.at(command).count(option) == 0) {
        missing.insert(option);
      }
    }
    for (const std::string& option : described.at(command)) {
      if (options.count(option) == 0) {
        extra.insert(option);
      }
    }
    INFO("in --help, without an item:" << joined(missing));
    INFO("an item, not in --help:" << joined(extra));
    CHECK(missing.empty());
    CHECK(extra.empty());
  }
}

// The page's last line and its header, as a reader sees them.
std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

std::string last_line(const std::string& text) {
  const auto end = text.find_last_not_of('\n');
  const auto start = text.rfind('\n', end);
  return text.substr(start + 1, end - start);
}

// "No" is an mdoc macro: at the start of a line's arguments it swallowed the word, and the
// page said "space left on device".
TEST_CASE("the man page says \"No space left on device\" in full", "[man]") {
  for (const auto& [renderer, page] : renderings()) {
    INFO("rendered by " << renderer);
    CHECK(page.find("No space left on device") != std::string::npos);
    CHECK(page.find(" space left on device") == page.find("No space left on device") + 2);
  }
}

// An empty .Os left the footer to the renderer: "BSD" and "BSD General Commands Manual" from
// groff, the build machine's system from mandoc.
TEST_CASE("the man page's footer names likematch and its version", "[man]") {
  const std::string expected = std::string("likematch ") + LIKEMATCH_VERSION_FOR_TESTS;
  for (const auto& [renderer, page] : renderings()) {
    INFO("rendered by " << renderer);
    INFO("footer: " << last_line(page));
    INFO("header: " << first_line(page));
    CHECK(last_line(page).starts_with(expected));
    CHECK(first_line(page).find("BSD") == std::string::npos);
  }
}

}  // namespace
}  // namespace likematch::test
