// The rule variants over loopback: the harness's listener expects one variant (a rule, once
// or not, a reading of a LIKE_LIKED from a user to itself), serve sends another, and serve's
// log must name the harness's variant when it says MATCH END - ERROR.

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "cli/rule_words.hpp"
#include "core/harness/generator.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/streams.hpp"
#include "tests/support/suggestions.hpp"

namespace likematch {
namespace {

using test::expected_list;
using test::k_wait;
using test::RunningServe;
using test::sees_a_wrong_number;
using test::suggestions;

// A listening serve on free ports in its own thread, its log captured.
RunningServe serve_with(const MatchRules& rules) {
  cli::ServeOptions options = RunningServe::listen_options();
  options.hub.engine.rules = rules;
  return RunningServe(options);
}

// serve's side of a harness run that ended with `status`: when both sides read the stream the
// same way, an OK and no suggestion (nullopt); otherwise an ERROR and the alternatives of
// serve's "try:" line.
std::optional<std::vector<std::string>> serve_suggestions(RunningServe& serve, int status,
                                                          bool same_variant) {
  if (same_variant) {
    CHECK(status == cli::k_exit_ok);
    CHECK(serve.log().wait_for("verdict MATCH END - OK, rule variants differ", k_wait));
    CHECK(suggestions(serve.log()).empty());
    return std::nullopt;
  }
  CHECK(status == cli::k_exit_failure);
  REQUIRE(serve.log().wait_for("try: likematch serve", k_wait));
  return suggestions(serve.log());
}

constexpr SelfLikeRule k_self_like_rules[] = {SelfLikeRule::literal, SelfLikeRule::match,
                                              SelfLikeRule::ignore};

cli::HarnessOptions harness_for(const RunningServe& serve, const GeneratorOptions& generator,
                                const MatchRules& rules) {
  cli::HarnessOptions options;
  options.generator = generator;
  options.rules = rules;
  options.plan.source_port = serve.source_port();
  options.plan.listener_port = serve.listener_port();
  options.plan.timeout = k_wait;
  options.log.level = cli::LogLevel::warning;
  return options;
}

bool suggested(const std::vector<std::string>& tried, const MatchRules& rules) {
  return std::find(tried.begin(), tried.end(), cli::rule_options(rules)) != tried.end();
}

TEST_CASE("serve's ERROR analysis names the rule the harness expects, for every rule pair",
          "[harness][serve][error_analysis]") {
  const std::vector<Event> events = generate_events(test::diverging_options());
  // The self-like rules are tried in pairs below: this session has no self-likes.
  std::vector<MatchRules> rules;
  for (const MatchRules& variant : k_rule_variants) {
    if (variant.self_likes == SelfLikeRule::literal) {
      rules.push_back(variant);
    }
  }
  REQUIRE(rules.size() == 4);
  for (const MatchRules& server : rules) {
    for (const MatchRules& harness : rules) {
      INFO("serve --rule " << cli::describe(server) << ", harness --rule "
                           << cli::describe(harness));
      const std::vector<std::uint64_t> sent = expected_list(events, server);
      const std::vector<std::uint64_t> expected = expected_list(events, harness);
      // The session is chosen so that every other variant is caught by a wrong number.
      REQUIRE((sent != expected) == (server != harness));
      REQUIRE(sees_a_wrong_number(sent, expected) == (server != harness));

      RunningServe serve = serve_with(server);
      test::CapturedOutput harness_output;
      const int status = run_harness(harness_for(serve, test::diverging_options(), harness),
                                     harness_output.output());

      const std::optional<std::vector<std::string>> tried =
          serve_suggestions(serve, status, server == harness);
      if (!tried) {
        continue;
      }
      CHECK(serve.log().contains(": the listener had been sent "));
      CHECK(std::find(tried->begin(), tried->end(), "--rule " + cli::describe(harness)) !=
            tried->end());
      CHECK(std::find(tried->begin(), tried->end(), "--rule " + cli::describe(server)) ==
            tried->end());
    }
  }
}

TEST_CASE("serve's ERROR analysis names the self-like rule the harness expects, for every pair",
          "[harness][serve][error_analysis]") {
  const std::vector<Event> events = generate_events(test::diverging_options(true));
  for (const SelfLikeRule served : k_self_like_rules) {
    for (const SelfLikeRule judged : k_self_like_rules) {
      const MatchRules server{Rule::ever, false, served};
      const MatchRules harness{Rule::ever, false, judged};
      INFO("serve " << cli::rule_options(server) << ", harness " << cli::rule_options(harness));
      const std::vector<std::uint64_t> sent = expected_list(events, server);
      const std::vector<std::uint64_t> expected = expected_list(events, harness);
      REQUIRE((sent != expected) == (served != judged));
      REQUIRE(sees_a_wrong_number(sent, expected) == (served != judged));

      RunningServe serve = serve_with(server);
      test::CapturedOutput harness_output;
      const int status = run_harness(harness_for(serve, test::diverging_options(true), harness),
                                     harness_output.output());

      const std::optional<std::vector<std::string>> tried =
          serve_suggestions(serve, status, served == judged);
      if (!tried) {
        continue;
      }
      CHECK(suggested(*tried, harness));
      CHECK_FALSE(suggested(*tried, server));
    }
  }
}

// A harness that counts every LIKE_LIKED from a user to itself as a match,
// with self-likes at the rate of independent draws (about 11 self-likes per 100,000 events at
// 9,000 users, a third of them LIKE_LIKED), against a serve that reads them literally.
TEST_CASE("a harness that matches every self-like fails a default serve, which names the rule",
          "[harness][serve][error_analysis]") {
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
    REQUIRE(
        sees_a_wrong_number(expected_list(events, MatchRules{}), expected_list(events, harness)));
  }

  RunningServe plain = serve_with(MatchRules{});
  test::CapturedOutput failed;
  CHECK(run_harness(harness_for(plain, generator, harness), failed.output()) ==
        cli::k_exit_failure);
  REQUIRE(plain.log().wait_for("try: likematch serve", k_wait));
  CHECK(plain.log().contains("--self-like-rule match"));
  CHECK(suggested(suggestions(plain.log()), harness));

  RunningServe matching = serve_with(harness);
  test::CapturedOutput passed;
  CHECK(run_harness(harness_for(matching, generator, harness), passed.output()) == cli::k_exit_ok);
  CHECK(matching.log().wait_for("verdict MATCH END - OK", k_wait));
  CHECK(suggestions(matching.log()).empty());
}

}  // namespace
}  // namespace likematch
