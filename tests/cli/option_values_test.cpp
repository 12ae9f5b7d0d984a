// The enums cli/ parses and prints through the name tables beside them in core/: every value
// is in its table once, parses from its name (in any case) and prints back as that name.
#include "cli/option_values.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <cctype>
#include <cstddef>
#include <set>
#include <string>

#include "cli/rule_options.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"

namespace likematch::cli {
namespace {

// The enums count from 0 with no gaps: values 0..N-1, each once, are all of them.
template <typename Table>
void check_covers_every_value(const Table& names) {
  std::set<int> values;
  std::set<std::string_view> words;
  for (const auto& entry : names) {
    values.insert(static_cast<int>(entry.value));
    words.insert(entry.name);
  }
  CHECK(values.size() == names.size());
  CHECK(words.size() == names.size());
  CHECK(*values.begin() == 0);
  CHECK(*values.rbegin() == static_cast<int>(names.size()) - 1);
}

std::string upper(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return result;
}

// The rules parsed from `arguments` by the options every matching subcommand declares.
MatchRules parse_rules(const std::string& arguments) {
  CLI::App app;
  MatchRules rules;
  add_rule_options(app, rules);
  app.parse(arguments, false);
  return rules;
}

// The default --help shows for `option` when its field holds `rules`.
std::string shown_default(const MatchRules& rules, const std::string& option) {
  CLI::App app;
  MatchRules field = rules;
  add_rule_options(app, field);
  return app.get_option(option)->get_default_str();
}

TEST_CASE("every rule parses from its name and prints as it", "[cli][options]") {
  check_covers_every_value(k_rule_names);
  for (const auto& [name, rule] : k_rule_names) {
    INFO("--rule " << name);
    CHECK(parse_rules("--rule " + std::string(name)).rule == rule);
    CHECK(parse_rules("--rule " + upper(name)).rule == rule);
    CHECK(to_string(rule) == name);
    CHECK(shown_default(MatchRules{rule}, "--rule") == name);
  }
}

TEST_CASE("every self-like rule parses from its name and prints as it", "[cli][options]") {
  check_covers_every_value(k_self_like_rule_names);
  for (const auto& [name, self_likes] : k_self_like_rule_names) {
    INFO("--self-like-rule " << name);
    CHECK(parse_rules("--self-like-rule " + std::string(name)).self_likes == self_likes);
    CHECK(parse_rules("--self-like-rule " + upper(name)).self_likes == self_likes);
    CHECK(to_string(self_likes) == name);
    CHECK(shown_default(MatchRules{Rule::ever, false, self_likes}, "--self-like-rule") == name);
  }
}

TEST_CASE("every shuffle parses from what it prints", "[cli][options]") {
  check_covers_every_value(k_shuffle_kind_names);
  for (const auto& [name, kind] : k_shuffle_kind_names) {
    const Shuffle shuffle{kind, kind == ShuffleKind::window ? std::uint64_t{7} : 0};
    const std::string printed = to_string(shuffle);
    INFO("--shuffle " << printed);
    CHECK(printed.substr(0, printed.find(':')) == name);
    Shuffle parsed{ShuffleKind::window, 99};
    CHECK_FALSE(parse_shuffle(printed, parsed));
    CHECK(parsed == shuffle);
  }
}

TEST_CASE("a name outside the table is refused with the table's names", "[cli][options]") {
  CHECK_THROWS_WITH(parse_rules("--rule sometimes"),
                    Catch::Contains("must be ever or latest, got 'sometimes'"));
  CHECK_THROWS_WITH(parse_rules("--self-like-rule twice"),
                    Catch::Contains("must be literal, match or ignore, got 'twice'"));
}

}  // namespace
}  // namespace likematch::cli
