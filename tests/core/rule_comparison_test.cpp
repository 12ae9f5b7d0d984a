#include "core/rules/rule_comparison.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "tests/support/compare_rules.hpp"

namespace likematch {
namespace {

using testing::compare_rules;

std::vector<std::uint64_t> seqs(const std::vector<Match>& matches) {
  std::vector<std::uint64_t> result;
  for (const Match& match : matches) {
    result.push_back(match.seq);
  }
  return result;
}

TEST_CASE("every variant's list equals the reference matcher under that variant",
          "[rule_comparison]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    GeneratorOptions options;
    options.events = 3000;
    options.users = 2 + seed * 3;  // few users: repeats, withdrawals and self-likes
    options.seed = seed;
    options.self_likes = seed % 2 == 0;
    const std::vector<Event> events = generate_events(options);
    std::string text;
    for (const Event& event : events) {
      append_line(text, event);
    }
    const RuleComparison comparison = compare_rules(text);
    for (const MatchRules& rules : k_rule_variants) {
      INFO("seed " << seed << ", rule " << describe(rules));
      CHECK(comparison.matches(rules) == seqs(reference_matches(events, rules)));
    }
  }
}

TEST_CASE("differences list the numbers in exactly one list, smallest first", "[rule_comparison]") {
  // 1: 1->2 likes; 2: 2->1 likes (match for all); 3: 1->2 withdraws; 4: 2->1 likes again
  // (ever: match, the like at 1 stands; latest: no, 1->2 took it back at 3); 5: 1->2 likes
  // (ever and latest: match, answering 4; once: the pair matched at 2).
  const RuleComparison comparison = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  const RuleComparison& c = comparison;
  CHECK(c.matches({Rule::ever, false}) == std::vector<std::uint64_t>{2, 4, 5});
  CHECK(c.matches({Rule::latest, false}) == std::vector<std::uint64_t>{2, 5});
  CHECK(c.matches({Rule::ever, true}) == std::vector<std::uint64_t>{2});
  CHECK(c.matches({Rule::latest, true}) == std::vector<std::uint64_t>{2});

  const auto parted = c.differences({Rule::ever, false}, {Rule::latest, false}, 10);
  REQUIRE(parted.size() == 1);
  CHECK(parted[0].seq == 4);
  CHECK(parted[0].in_first);
  const auto reversed = c.differences({Rule::latest, false}, {Rule::ever, false}, 10);
  REQUIRE(reversed.size() == 1);
  CHECK_FALSE(reversed[0].in_first);
  CHECK(c.differences({Rule::ever, true}, {Rule::latest, true}, 10).empty());
  CHECK(c.differences({Rule::ever, false}, {Rule::ever, true}, 1).size() == 1);
}

TEST_CASE("explain names the withdrawing event and the earlier match", "[rule_comparison]") {
  const RuleComparison comparison = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  CHECK(comparison.explain(4) ==
        "4 LIKE_LIKED 2->1, answering 1->2 at 1: a match under ever; not under latest (1->2 "
        "took the like back with LIKE_NOT_LIKED at 3), ever --once (the pair matched at 2), "
        "latest --once (1->2 took the like back with LIKE_NOT_LIKED at 3)");
  CHECK(comparison.explain(5) ==
        "5 LIKE_LIKED 1->2, answering 2->1 at 4: a match under ever, latest; not under ever "
        "--once (the pair matched at 2), latest --once (the pair matched at 2)");
  CHECK(comparison.explain(3) == "3: not a match under any rule");
}

TEST_CASE("every like taken back under latest is explained with the event that took it back",
          "[rule_comparison]") {
  // Many pairs, so that the filter of liked pairs is well populated: it must never miss one.
  GeneratorOptions options;
  options.events = 20000;
  options.users = 60;
  options.seed = 5;
  std::string text;
  for (const Event& event : generate_events(options)) {
    append_line(text, event);
  }
  const RuleComparison comparison = compare_rules(text);
  const auto ever_only =
      comparison.differences({Rule::ever, false}, {Rule::latest, false}, 1'000'000);
  REQUIRE(ever_only.size() > 10);
  for (const auto& difference : ever_only) {
    INFO(comparison.explain(difference.seq));
    REQUIRE(difference.in_first);
    CHECK(comparison.explain(difference.seq).find("took the like back with LIKE_") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace likematch
