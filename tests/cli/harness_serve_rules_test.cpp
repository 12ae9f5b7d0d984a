// Every (serve rule, harness rule) pair over loopback, self-likes read literally: the harness's
// listener expects one rule variant, serve sends another, and serve's log must name the
// harness's rule when it says MATCH END - ERROR.

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "cli/rule_words.hpp"
#include "cli/serve.hpp"
#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "core/rules/rule_comparison.hpp"
#include "tests/support/capture_sink.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/suggestions.hpp"

namespace likematch {
namespace {

using testing::suggestions;

constexpr std::chrono::seconds k_wait{20};

// Few users, so that pairs repeat and withdraw: the four lists all differ, early enough that
// a listener expecting any one of them sees a wrong number from any other.
GeneratorOptions parting_session() {
  GeneratorOptions options;
  options.events = 1500;
  options.users = 15;
  options.seed = 3;
  return options;
}

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

// A listening serve on free ports in its own thread, its log captured.
class RunningServe {
 public:
  explicit RunningServe(const MatchRules& rules)
      : m_sink(std::make_shared<testing::CaptureSink>()),
        m_logger(std::make_shared<spdlog::logger>("rules-test", m_sink)) {
    cli::ServeOptions options;
    options.server.source_port = 0;
    options.server.listener_port = 0;
    options.hub.engine.rules = rules;
    m_logger->set_level(spdlog::level::info);
    m_instance = std::make_unique<cli::ServeInstance>(options, m_logger, m_output.output());
    m_thread = std::thread([this] { m_instance->run(); });
  }
  ~RunningServe() {
    m_instance->stop();
    m_thread.join();
  }
  RunningServe(const RunningServe&) = delete;
  RunningServe& operator=(const RunningServe&) = delete;

  std::uint16_t source_port() const { return m_instance->source_port(); }
  std::uint16_t listener_port() const { return m_instance->listener_port(); }
  testing::CaptureSink& log() { return *m_sink; }

 private:
  testing::CapturedOutput m_output;
  std::shared_ptr<testing::CaptureSink> m_sink;
  std::shared_ptr<spdlog::logger> m_logger;
  std::unique_ptr<cli::ServeInstance> m_instance;
  std::thread m_thread;
};

TEST_CASE("serve's ERROR diagnosis names the rule the harness expects, for every rule pair",
          "[harness][serve][error_diagnosis]") {
  const std::vector<Event> events = generate_events(parting_session());
  // The self-like rules are tried in pairs in harness_serve_self_likes_test.cpp: this session
  // has no self-likes.
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
      const std::vector<std::uint64_t> sent = list_of(events, server);
      const std::vector<std::uint64_t> expected = list_of(events, harness);
      // The session is chosen so that every other variant is caught by a wrong number.
      REQUIRE((sent != expected) == (server != harness));
      REQUIRE(sees_a_wrong_number(sent, expected) == (server != harness));

      RunningServe serve(server);
      testing::CapturedOutput harness_output;
      cli::HarnessOptions options;
      options.generator = parting_session();
      options.rules = harness;
      options.plan.source_port = serve.source_port();
      options.plan.listener_port = serve.listener_port();
      options.plan.timeout = k_wait;
      options.log.level = likematch::cli::LogLevel::warning;
      const int status = run_harness(options, harness_output.output());

      if (server == harness) {
        CHECK(status == cli::k_exit_ok);
        CHECK(serve.log().wait_for("verdict MATCH END - OK, rule variants differ", k_wait));
        CHECK(suggestions(serve.log()).empty());
        continue;
      }
      CHECK(status == cli::k_exit_failure);
      REQUIRE(serve.log().wait_for("try: likematch serve", k_wait));
      CHECK(serve.log().contains(": the listener had been sent "));
      const std::vector<std::string> tried = suggestions(serve.log());
      CHECK(std::find(tried.begin(), tried.end(), "--rule " + cli::describe(harness)) !=
            tried.end());
      CHECK(std::find(tried.begin(), tried.end(), "--rule " + cli::describe(server)) ==
            tried.end());
    }
  }
}

}  // namespace
}  // namespace likematch
