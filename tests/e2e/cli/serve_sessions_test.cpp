// Harness runs one after another against one listening serve, some of them failing: each run
// is judged on its own events only (docs/protocol.md, "Sessions"). The harness is the binary,
// as a user runs it; serve runs in this process.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/running_serve.hpp"

namespace likematch::test {
namespace {

// `likematch harness` against `serve`, with `more` options; its exit status and its output.
test::ProcessResult harness(const RunningServe& serve, std::vector<std::string> more) {
  std::vector<std::string> args = {"harness",
                                   "--source-port",
                                   std::to_string(serve.source_port()),
                                   "--listener-port",
                                   std::to_string(serve.listener_port()),
                                   "--events",
                                   "1000",
                                   "--users",
                                   "20",
                                   "--log-level",
                                   "error"};
  args.insert(args.end(), more.begin(), more.end());
  return run_process(LIKEMATCH_BINARY, args);
}

TEST_CASE("a run after one whose listener never came is judged on its own events, every time",
          "[serve][sessions][slow]") {
  // As first seen: the first run's listener would connect after 5 s, but the run gives up
  // after 1 s; the next run connects its listener first. Twenty times over.
  RunningServe serve;
  for (int attempt = 1; attempt <= 20; ++attempt) {
    INFO("attempt " << attempt << "\n" << serve.log().text());
    const auto abandoned =
        harness(serve, {"--seed", "5", "--listener-delay", "5000", "--timeout", "1"});
    REQUIRE(abandoned.status == cli::k_exit_no_verdict);
    const auto next = harness(serve, {"--seed", std::to_string(100 + attempt), "--listener-first"});
    CHECK(next.status == 0);
    CHECK(next.out.find("MATCH END - OK") != std::string::npos);
  }
  CHECK_FALSE(serve.log().contains("try: likematch serve"));
}

TEST_CASE("runs that fail in every way, then a good one, in every listener order",
          "[serve][sessions][slow]") {
  RunningServe serve;
  const std::vector<std::vector<std::string>> orders = {
      {"--listener-first"}, {}, {"--listener-last"}, {"--listener-delay", "50"}};
  for (const auto& order : orders) {
    INFO("order " << (order.empty() ? "together" : order.front()) << "\n" << serve.log().text());
    // A run given up before its listener came, a run whose listener expected another rule,
    // a run given up while its listener was waiting for numbers.
    CHECK(harness(serve, {"--listener-delay", "5000", "--timeout", "1"}).status ==
          cli::k_exit_no_verdict);
    const auto wrong_rule = harness(serve, {"--rule", "latest", "--listener-first"});
    INFO(wrong_rule.err);
    CHECK(wrong_rule.status == 1);
    CHECK(harness(serve, {"--listener-last", "--chunk-bytes", "1", "--timeout", "0.2"}).status ==
          cli::k_exit_no_verdict);
    std::vector<std::string> good = {"--seed", "9"};
    good.insert(good.end(), order.begin(), order.end());
    const auto run = harness(serve, good);
    CHECK(run.status == 0);
    CHECK(run.out.find("MATCH END - OK") != std::string::npos);
  }
}

}  // namespace
}  // namespace likematch::test
