#include "cli/rule_words.hpp"

#include "core/rules/error_analysis.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/compare_rules.hpp"

namespace likematch {
namespace {

using test::compare_rules;

// The log lines serve writes for a listener's ERROR.
std::vector<std::string> analysis_lines(const RuleComparison& comparison, const SentPrefix& sent) {
  return cli::error_analysis_lines(analyze_error(comparison, sent));
}

SentPrefix sent(const MatchRules& rules, std::size_t count, bool complete,
                std::vector<std::size_t> writes = {}) {
  return SentPrefix{rules, count, complete, std::move(writes)};
}

// Pairs {1,2} and {3,4} match at 2 and 4; 1->2 likes again at 5 (ever and latest: a match;
// once: no); 4->3 withdraws at 6, so 3->4's like at 7 matches under ever only.
//   ever 2 4 5 7, latest 2 4 5, ever --once 2 4, latest --once 2 4
constexpr const char* k_stream =
    "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_LIKED|3|4\n4|LIKE_LIKED|4|3\n"
    "5|LIKE_LIKED|1|2\n6|LIKE_NOT_LIKED|4|3\n7|LIKE_LIKED|3|4\n";

TEST_CASE("an error after the whole list names every variant that diverges, latest diverging first",
          "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  const auto lines = analysis_lines(c, sent({Rule::ever, false}, 4, true));
  CHECK(lines ==
        std::vector<std::string>{
            "the listener had been sent 4 numbers, the last 7 (rule ever, the whole list)",
            "latest: would not have sent 7 (sent as number 4): 7 LIKE_LIKED 3->4, answering "
            "4->3 at 4: a match under ever; not under latest (4->3 took the like back "
            "with LIKE_NOT_LIKED at 6), ever --once (the pair matched at 4), latest "
            "--once (4->3 took the like back with LIKE_NOT_LIKED at 6)",
            "ever --once: would not have sent 5 (sent as number 3): 5 LIKE_LIKED 1->2, "
            "answering 2->1 at 2: a match under ever, latest; not under ever --once (the "
            "pair matched at 2), latest --once (the pair matched at 2)",
            "latest --once: would not have sent 5 (sent as number 3): 5 LIKE_LIKED 1->2, "
            "answering 2->1 at 2: a match under ever, latest; not under ever --once (the "
            "pair matched at 2), latest --once (the pair matched at 2)",
            "try: likematch serve --rule latest, else --rule ever --once, else --rule "
            "latest --once",
        });
}

TEST_CASE("a variant that diverges only after the last number sent is not suspected",
          "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  const auto lines = analysis_lines(c, sent({Rule::ever, false}, 3, false));
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "the listener had been sent 3 numbers, the last 5 (rule ever)");
  CHECK(lines[1] == "latest: the same numbers up to the last one sent");
  CHECK(lines[4] ==
        "ever --once, latest --once diverge from what was sent within one write: which "
        "the listener caught is not known, so their order below is a guess");
  CHECK(lines[5] == "try: likematch serve --rule ever --once, else --rule latest --once");
}

TEST_CASE("a number the server never sent is named with the one sent in its place",
          "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  const auto lines = analysis_lines(c, sent({Rule::ever, true}, 2, true));
  REQUIRE(lines.size() == 6);
  CHECK(lines[1].starts_with("ever: would have sent 5 after the last number: 5 LIKE_LIKED"));
  CHECK(lines[2].starts_with("latest: would have sent 5 after the last number"));
  CHECK(lines[3] == "latest --once: the same list");
  CHECK(lines[5] == "try: likematch serve --rule ever, else --rule latest");

  const auto middle = analysis_lines(c, sent({Rule::latest, false}, 3, true));
  CHECK(middle[1].starts_with("ever: would have sent 7 after the last number"));
}

TEST_CASE("while the list is not all sent, a missing last number is not suspected",
          "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  const auto lines = analysis_lines(c, sent({Rule::ever, true}, 2, false));
  CHECK(lines.back() ==
        "every rule variant (--rule, --once, --self-like-rule) agrees on everything sent: the "
        "fault is not the rule (see the warnings about the input above, and the harness's own "
        "log)");
}

TEST_CASE("an error before any divergence says the fault is not the rule", "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  for (const MatchRules& rules : k_rule_variants) {
    INFO(cli::describe(rules));
    const auto lines = analysis_lines(c, sent(rules, 2, false));
    CHECK(lines.front() == fmt::format("the listener had been sent 2 numbers, the last 4 (rule {})",
                                       cli::describe(rules)));
    CHECK(lines.back().find("the fault is not the rule") != std::string::npos);
  }
  const auto nothing = analysis_lines(c, sent({Rule::latest, false}, 0, false));
  CHECK(nothing.front() == "the listener had been sent no number (rule latest)");
}

TEST_CASE("a number sent in the place of a missing one is where the listener can tell",
          "[error_analysis]") {
  // latest: 2 5; ever: 2 4 5. A listener expecting ever sees 5 where it wanted 4.
  const RuleComparison c = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  const auto lines = analysis_lines(c, sent({Rule::latest, false}, 2, false));
  REQUIRE(lines.size() == 6);
  CHECK(
      lines[1].starts_with("ever: would have sent 4 before 5 (sent as number 2): 4 LIKE_LIKED "
                           "2->1, answering 1->2 at 1: a match under ever; not under latest "
                           "(1->2 took the like back with LIKE_NOT_LIKED at 3)"));
  CHECK(lines[5] ==
        "try: likematch serve --rule ever, else --rule ever --once, else --rule "
        "latest --once");
}

TEST_CASE("the variant diverging in the latest write is suggested first", "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  // 2 4 5 7 in three writes: latest diverges at 7 (the third), the once variants at 5 (the
  // second).
  const auto apart = analysis_lines(c, sent({Rule::ever, false}, 4, true, {2, 3, 4}));
  CHECK(apart.back() ==
        "try: likematch serve --rule latest, else --rule ever --once, else --rule latest --once");
  CHECK(std::none_of(apart.begin(), apart.end(), [](const std::string& line) {
    return line.find("is a guess") != std::string::npos;
  }));

  // All in one write: nothing tells them apart.
  const auto together = analysis_lines(c, sent({Rule::ever, false}, 4, true, {4}));
  REQUIRE(together.size() == 6);
  CHECK(together[4] ==
        "latest, ever --once, latest --once diverge from what was sent within one write: which the "
        "listener caught is not known, so their order below is a guess");
}

TEST_CASE("explain words the withdrawing event and the earlier match", "[rule_words]") {
  const RuleComparison comparison = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  CHECK(cli::explain(*comparison.explain(4)) ==
        "4 LIKE_LIKED 2->1, answering 1->2 at 1: a match under ever; not under latest (1->2 "
        "took the like back with LIKE_NOT_LIKED at 3), ever --once (the pair matched at 2), "
        "latest --once (1->2 took the like back with LIKE_NOT_LIKED at 3)");
  CHECK(cli::explain(*comparison.explain(5)) ==
        "5 LIKE_LIKED 1->2, answering 2->1 at 4: a match under ever, latest; not under ever "
        "--once (the pair matched at 2), latest --once (the pair matched at 2)");
}

TEST_CASE("rules are described as a user asks for them", "[rule_words]") {
  CHECK(cli::describe({Rule::ever, false}) == "ever");
  CHECK(cli::describe({Rule::latest, true}) == "latest --once");
  CHECK(cli::rule_options({Rule::latest, true}) == "--rule latest --once");
  CHECK(cli::describe({Rule::ever, false, SelfLikeRule::literal}) == "ever");
  CHECK(cli::describe({Rule::ever, false, SelfLikeRule::match}) == "ever --self-like-rule match");
  CHECK(cli::describe({Rule::latest, true, SelfLikeRule::ignore}) ==
        "latest --once --self-like-rule ignore");
  CHECK(cli::rule_options({Rule::ever, false, SelfLikeRule::match}) ==
        "--rule ever --self-like-rule match");
}

// 7 likes itself at 1, 4 and 6 and takes it back at 5; 8 likes itself at 7; {1, 2} match at 3
// (testdata/self_likes.events, in order).
constexpr const char* k_self_likes =
    "1|LIKE_LIKED|7|7\n2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|7|7\n"
    "5|LIKE_NOT_LIKED|7|7\n6|LIKE_LIKED|7|7\n7|LIKE_LIKED|8|8\n8|LIKE_UNSPECIFIED|9|9\n";

TEST_CASE("explain says why a self-like is or is not a match under each self-like rule",
          "[rule_words]") {
  const RuleComparison c = compare_rules(k_self_likes);
  CHECK(cli::explain(*c.explain(1)) ==
        "1 LIKE_LIKED 7->7, a self-like with no earlier one: --self-like-rule literal: not a "
        "match (no earlier LIKE_LIKED 7->7); match: a match under ever, latest, ever --once, "
        "latest --once; ignore: not a match (self-likes are ignored)");
  CHECK(cli::explain(*c.explain(4)) ==
        "4 LIKE_LIKED 7->7, a self-like answering 7->7 at 1: --self-like-rule literal: a match "
        "under ever, latest, ever --once, latest --once; match: a match under ever, latest; not "
        "under ever --once (the pair matched at 1), latest --once (the pair matched at 1); "
        "ignore: not a match (self-likes are ignored)");
  CHECK(cli::explain(*c.explain(6)) ==
        "6 LIKE_LIKED 7->7, a self-like answering 7->7 at 4: --self-like-rule literal: a match "
        "under ever; not under latest (7->7 took the like back with LIKE_NOT_LIKED at 5), ever "
        "--once (the pair matched at 4), latest --once (7->7 took the like back with "
        "LIKE_NOT_LIKED at 5); match: a match under ever, latest; not under ever --once (the "
        "pair matched at 1), latest --once (the pair matched at 1); ignore: not a match "
        "(self-likes are ignored)");
  // Between two users only the (rule, once) variants are named: the self-like rules agree.
  CHECK(cli::explain(*c.explain(3)) ==
        "3 LIKE_LIKED 2->1, answering 1->2 at 2: a match under ever, latest, ever --once, "
        "latest --once");
}

TEST_CASE("an error at a self-like names the self-like rule to try", "[error_analysis]") {
  // {1, 2} match at 2 and {3, 4} at 5 under every variant; 7 likes itself once, at 3: a match
  // under the self-like rule match only.
  const RuleComparison c = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_LIKED|7|7\n4|LIKE_LIKED|3|4\n"
      "5|LIKE_LIKED|4|3\n");
  const auto lines = analysis_lines(c, sent({Rule::ever, false}, 2, true));
  const std::string why =
      "3 LIKE_LIKED 7->7, a self-like with no earlier one: --self-like-rule literal: not a match "
      "(no earlier LIKE_LIKED 7->7); match: a match under ever, latest, ever --once, latest "
      "--once; ignore: not a match (self-likes are ignored)";
  // The ignore variants give the literal lists here: they are not named.
  CHECK(
      lines ==
      std::vector<std::string>{
          "the listener had been sent 2 numbers, the last 5 (rule ever, the whole list)",
          "latest: the same list",
          "ever --once: the same list",
          "latest --once: the same list",
          "ever --self-like-rule match: would have sent 3 before 5 (sent as number 2): " + why,
          "latest --self-like-rule match: would have sent 3 before 5 (sent as number 2): " + why,
          "ever --once --self-like-rule match: would have sent 3 before 5 (sent as number 2): " +
              why,
          "latest --once --self-like-rule match: would have sent 3 before 5 (sent as number 2): " +
              why,
          "ever --self-like-rule match, latest --self-like-rule match, ever --once "
          "--self-like-rule match, latest --once --self-like-rule match diverge from what was "
          "sent within one write: which the listener caught is not known, so their order below "
          "is a guess",
          "try: likematch serve --rule ever --self-like-rule match, else --rule latest "
          "--self-like-rule match, else --rule ever --once --self-like-rule match, else --rule "
          "latest --once --self-like-rule match",
      });

  // Sent under match, the literal and ignore readings are the suspects.
  const auto matching = analysis_lines(c, sent({Rule::ever, false, SelfLikeRule::match}, 3, true));
  REQUIRE(matching.size() >= 2);
  CHECK(matching.back().starts_with(
      "try: likematch serve --rule ever, else --rule latest, else --rule ever --once, else "
      "--rule latest --once, else --rule ever --self-like-rule ignore"));
}

TEST_CASE("a stream without self-likes names no other self-like rule", "[error_analysis]") {
  const RuleComparison c = compare_rules(k_stream);
  const auto lines = analysis_lines(c, sent({Rule::ever, false, SelfLikeRule::match}, 4, true));
  REQUIRE(lines.size() == 5);
  CHECK(lines[0] ==
        "the listener had been sent 4 numbers, the last 7 (rule ever --self-like-rule match, the "
        "whole list)");
  CHECK(lines[1].starts_with("latest --self-like-rule match: would not have sent 7"));
  CHECK(lines[4] ==
        "try: likematch serve --rule latest --self-like-rule match, else --rule ever --once "
        "--self-like-rule match, else --rule latest --once --self-like-rule match");
}

}  // namespace
}  // namespace likematch
