// The first log line of each command that logs as it runs (serve, harness, demo): which build,
// which run, with what settings, the same shape for all three (serve's is in serve_test.cpp).
#include <catch2/catch.hpp>

#include <regex>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/json_line.hpp"

namespace likematch::test {
namespace {

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// A harness that listens on free ports for a second, with no server to dial it: it logs its
// start, then times out (exit 3).
const std::vector<std::string> k_harness{
    "harness",  "--events",      "300", "--users",         "20", "--seed",    "4",
    "--listen", "--source-port", "0",   "--listener-port", "0",  "--timeout", "1"};
const std::vector<std::string> k_demo{"demo", "--events", "300", "--users", "20", "--seed", "4"};

TEST_CASE("harness and demo begin their logs with the version, the run and their settings",
          "[cli][logging]") {
  const ProcessResult harness = run_process(LIKEMATCH_BINARY, k_harness);
  CHECK(harness.status == 3);
  const ProcessResult demo = run_process(LIKEMATCH_BINARY, k_demo);
  CHECK(demo.status == 0);
  const std::string run = "run [0-9]{8}T[0-9]{6}Z-[0-9]+: ";
  const std::string generated =
      "--events 300, --users 20, --seed 4, --shuffle [^,]+, "
      "no self-likes, rule ever";
  INFO(harness.err);
  INFO(demo.err);
  // The version, with its commit when built from a git tree.
  const std::string version =
      " info    likematch " LIKEMATCH_VERSION_FOR_TESTS "( \\(git [^)]+\\))?";
  CHECK(std::regex_search(first_line(harness.err), std::regex(version + " harness, ")));
  CHECK(std::regex_search(first_line(harness.err),
                          std::regex(" harness, " + run + generated +
                                     ", --listen on 127\\.0\\.0\\.1, --source-port 0, "
                                     "--listener-port 0, --timeout 1 s$")));
  CHECK(std::regex_search(first_line(demo.err), std::regex(version + " demo, ")));
  CHECK(std::regex_search(first_line(demo.err), std::regex(" demo, " + run + generated + "$")));
  // One start line in the demo: its harness does not say the settings again.
  CHECK(std::regex_search(demo.err, std::regex(" run [0-9]{8}T")));
  CHECK_FALSE(std::regex_search(demo.err.substr(first_line(demo.err).size()),
                                std::regex(" run [0-9]{8}T")));
}

TEST_CASE("the start line's settings are fields in JSON", "[cli][logging]") {
  for (const auto& args : {k_harness, k_demo}) {
    std::vector<std::string> json = args;
    json.insert(json.end(), {"--log-format", "json"});
    const ProcessResult result = run_process(LIKEMATCH_BINARY, json);
    INFO(result.err);
    const auto line = parse_json_line(first_line(result.err));
    REQUIRE(line);
    CHECK(line->at("version").text.starts_with("likematch " LIKEMATCH_VERSION_FOR_TESTS));
    CHECK(line->at("command").text == args.front());
    CHECK(std::regex_match(line->at("run").text, std::regex("[0-9]{8}T[0-9]{6}Z-[0-9]+")));
    CHECK(line->at("events").text == "300");
    CHECK(line->at("users").text == "20");
    CHECK(line->at("seed").text == "4");
    CHECK(line->at("rule").text == "ever");
  }
}

}  // namespace
}  // namespace likematch::test
