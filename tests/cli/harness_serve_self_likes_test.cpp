// The self-like rules over loopback: the harness's listener expects one reading of a
// LIKE_LIKED from a user to itself, serve sends another, and serve's log must name the
// harness's reading when it says MATCH END - ERROR.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "cli/rule_words.hpp"
#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/suggestions.hpp"

namespace likematch {
namespace {

using test::k_wait;
using test::RunningServe;
using testing::suggestions;

constexpr SelfLikeRule k_self_like_rules[] = {SelfLikeRule::literal, SelfLikeRule::match,
                                              SelfLikeRule::ignore};

std::vector<std::uint64_t> list_of(const std::vector<Event>& events, const MatchRules& rules) {
  std::vector<std::uint64_t> list;
  for (const Match& match : reference_matches(events, rules)) {
    list.push_back(match.seq);
  }
  return list;
}

// A listener expecting `expected` sees a wrong number from `sent` (not merely too few).
bool sees_a_wrong_number(const std::vector<std::uint64_t>& sent,
                         const std::vector<std::uint64_t>& expected) {
  const auto parted = std::mismatch(sent.begin(), sent.end(), expected.begin(), expected.end());
  return parted.first != sent.end();
}

RunningServe serve_with(const MatchRules& rules) {
  cli::ServeOptions options = RunningServe::listen_options();
  options.hub.engine.rules = rules;
  return RunningServe(options);
}

cli::HarnessOptions harness_for(const RunningServe& serve, const GeneratorOptions& generator,
                                const MatchRules& rules) {
  cli::HarnessOptions options;
  options.generator = generator;
  options.rules = rules;
  options.plan.source_port = serve.source_port();
  options.plan.listener_port = serve.listener_port();
  options.plan.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(k_wait);
  options.log.level = likematch::cli::LogLevel::warning;
  return options;
}

bool suggested(const std::vector<std::string>& tried, const MatchRules& rules) {
  return std::find(tried.begin(), tried.end(), cli::rule_options(rules)) != tried.end();
}

// Few users and self-likes allowed (one event in 15): users like themselves again and again,
// so that the three readings give three lists, early enough that a listener expecting any one
// of them sees a wrong number from any other.
GeneratorOptions self_liking_session() {
  GeneratorOptions options;
  options.events = 1500;
  options.users = 15;
  options.seed = 3;
  options.self_likes = true;
  return options;
}

TEST_CASE("serve's ERROR analysis names the self-like rule the harness expects, for every pair",
          "[harness][serve][error_diagnosis]") {
  const std::vector<Event> events = generate_events(self_liking_session());
  for (const SelfLikeRule served : k_self_like_rules) {
    for (const SelfLikeRule judged : k_self_like_rules) {
      const MatchRules server{Rule::ever, false, served};
      const MatchRules harness{Rule::ever, false, judged};
      INFO("serve " << cli::rule_options(server) << ", harness " << cli::rule_options(harness));
      const std::vector<std::uint64_t> sent = list_of(events, server);
      const std::vector<std::uint64_t> expected = list_of(events, harness);
      REQUIRE((sent != expected) == (served != judged));
      REQUIRE(sees_a_wrong_number(sent, expected) == (served != judged));

      RunningServe serve = serve_with(server);
      testing::CapturedOutput harness_output;
      const int status =
          run_harness(harness_for(serve, self_liking_session(), harness), harness_output.output());

      if (served == judged) {
        CHECK(status == cli::k_exit_ok);
        CHECK(serve.log().wait_for("verdict MATCH END - OK, rule variants differ", k_wait));
        CHECK(suggestions(serve.log()).empty());
        continue;
      }
      CHECK(status == cli::k_exit_failure);
      REQUIRE(serve.log().wait_for("try: likematch serve", k_wait));
      const std::vector<std::string> tried = suggestions(serve.log());
      CHECK(suggested(tried, harness));
      CHECK_FALSE(suggested(tried, server));
    }
  }
}

// The case: a harness that counts every LIKE_LIKED from a user to itself as a match,
// with self-likes at the rate of independent draws (about 11 self-likes per 100,000 events at
// 9,000 users, a third of them LIKE_LIKED), against a serve that reads them literally.
TEST_CASE("a harness that matches every self-like fails a default serve, which names the rule",
          "[harness][serve][error_diagnosis]") {
  GeneratorOptions generator;
  generator.events = 300'000;
  generator.users = 9'000;
  generator.seed = 1;
  generator.self_likes = true;
  // Nearly in order, so that the numbers go out while the source sends and the ERROR comes
  // early, as the challenge's harness answers.
  generator.shuffle = Shuffle{ShuffleKind::window, 1000};
  const MatchRules harness{Rule::ever, false, SelfLikeRule::match};
  {
    const std::vector<Event> events = generate_events(generator);
    REQUIRE(sees_a_wrong_number(list_of(events, MatchRules{}), list_of(events, harness)));
  }

  RunningServe plain = serve_with(MatchRules{});
  testing::CapturedOutput failed;
  CHECK(run_harness(harness_for(plain, generator, harness), failed.output()) ==
        cli::k_exit_failure);
  REQUIRE(plain.log().wait_for("try: likematch serve", k_wait));
  CHECK(plain.log().contains("--self-like-rule match"));
  CHECK(suggested(suggestions(plain.log()), harness));

  RunningServe matching = serve_with(harness);
  testing::CapturedOutput passed;
  CHECK(run_harness(harness_for(matching, generator, harness), passed.output()) == cli::k_exit_ok);
  CHECK(matching.log().wait_for("verdict MATCH END - OK", k_wait));
  CHECK(suggestions(matching.log()).empty());
}

}  // namespace
}  // namespace likematch
