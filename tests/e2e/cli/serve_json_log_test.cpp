// `likematch serve --log-format json` (and demo's, serve and harness together), the binary, through
// runs that make it say most of what it can say: every line must be one JSON object that
// carries, as fields, what its message is about. A line added later without its fields fails
// here too.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <regex>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/json_line.hpp"
#include "tests/support/loopback.hpp"

namespace likematch::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = text.find('\n', at);
    lines.push_back(text.substr(at, end - at));
    at = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

bool has_number(const JsonObject& line, std::string_view key_part, const std::string& number) {
  for (const auto& [key, value] : line) {
    if (key.find(key_part) != std::string::npos && !value.is_string && value.text == number) {
      return true;
    }
  }
  return false;
}

// What the message names must be fields: each "session N", "source N", "listener N" and
// "line N" a field whose name holds the word, with N as its value; each address:port a string
// field holding it, or the address and the port as two fields.
void check_fields(const std::string& text) {
  INFO(text);
  const auto line = parse_json_line(text);
  REQUIRE(line);
  REQUIRE(line->contains("time"));
  REQUIRE(line->contains("level"));
  REQUIRE(line->contains("message"));
  CHECK(line->size() > 3);  // at least one field beside them
  const std::string& message = line->at("message").text;

  static const std::regex named(R"(\b(session|source|listener|line) ([0-9]+)\b)");
  for (auto it = std::sregex_iterator(message.begin(), message.end(), named);
       it != std::sregex_iterator(); ++it) {
    INFO((*it)[0].str());
    CHECK(has_number(*line, (*it)[1].str(), (*it)[2].str()));
  }
  static const std::regex endpoint(R"(([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+):([0-9]+))");
  for (auto it = std::sregex_iterator(message.begin(), message.end(), endpoint);
       it != std::sregex_iterator(); ++it) {
    INFO((*it)[0].str());
    bool found = false;
    for (const auto& [key, value] : *line) {
      if (key != "message" && value.is_string &&
          (value.text.find((*it)[0].str()) != std::string::npos ||
           (value.text == (*it)[1].str() && has_number(*line, "", (*it)[2].str())))) {
        found = true;
      }
    }
    CHECK(found);
  }
}

TEST_CASE("serve --log-format json: every line carries what it is about as fields",
          "[serve][process][logging]") {
  const TempDir dir;
  const std::string log_path = dir.path("serve.log");
  BackgroundProcess serve(
      LIKEMATCH_BINARY,
      {"serve", "--source-port", "0", "--listener-port", "0", "--log-format", "json", "--log-level",
       "debug", "--max-listeners", "2", "--record", dir.path("recordings")},
      log_path);
  REQUIRE(serve.wait_for_log("Event Listeners on", 30s));
  std::smatch ports;
  const std::string start = serve.log();
  REQUIRE(std::regex_search(start, ports,
                            std::regex(R"(Event Source on 127\.0\.0\.1:([0-9]+), Event )"
                                       R"(Listeners on 127\.0\.0\.1:([0-9]+))")));
  const auto source_port = static_cast<std::uint16_t>(std::stoi(ports[1].str()));
  const auto listener_port = static_cast<std::uint16_t>(std::stoi(ports[2].str()));

  {
    // A listener before any session: it waits, greets, says a line the protocol has not, and
    // leaves; two more, one past --max-listeners.
    Peer early = Peer::connect(listener_port);
    REQUIRE(early.send("MATCH BEGIN\nhello\n"));
    REQUIRE(serve.wait_for_log("unexpected line", 30s));
    Peer second = Peer::connect(listener_port);
    REQUIRE(serve.wait_for_log("listener 2 waits", 30s));
    Peer refused = Peer::connect(listener_port);
    REQUIRE(serve.wait_for_log("refused", 30s));
  }
  REQUIRE(serve.wait_for_log("listener 2 closed", 30s));

  // A whole session with the emulated harness.
  cli::HarnessOptions harness;
  harness.generator.events = 2'000;
  harness.generator.users = 50;
  harness.plan.source_port = source_port;
  harness.plan.listener_port = listener_port;
  harness.log.level = cli::LogLevel::warning;
  CapturedOutput quiet;
  REQUIRE(run_harness(harness, quiet.output()) == cli::k_exit_ok);
  REQUIRE(serve.wait_for_log(R"("verdicts_ok":1)", 30s));

  // A session with a bad line and bytes after its end, superseded before any listener came.
  {
    Peer source = Peer::connect(source_port);
    REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\nbad\n2|LIKE_LIKED|2|1\nEVENT END\n"));
    REQUIRE(serve.wait_for_log("session 2 input ended", 30s));
    REQUIRE(source.send("more\n"));
    REQUIRE(serve.wait_for_log("after the end of its input", 30s));
  }
  {
    Peer source = Peer::connect(source_port);
    REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|5|6\nEVENT END\n"));
    REQUIRE(serve.wait_for_log("never delivered", 30s));
  }
  serve.kill(SIGTERM);
  REQUIRE(serve.wait_for(30s) == 0);

  const std::vector<std::string> lines = lines_of(serve.log());
  for (const std::string& line : lines) {
    check_fields(line);
  }
  // The run said what it was meant to: the lines above were checked, not skipped.
  const std::string log = serve.log();
  for (const char* said :
       {"likematch ", "listening: ", "waits for the next session", ": MATCH BEGIN\"",
        "unexpected line", "refused: 2 already open", "session 1 begins", "recording to",
        "attached", "input ended", "MATCH END - OK after", "line 3: ", "after the end of its input",
        "never delivered", "SIGTERM received"}) {
    INFO(said);
    CHECK(log.find(said) != std::string::npos);
  }
}

TEST_CASE("demo --log-format json: the server's and the harness's lines carry their fields",
          "[demo][logging]") {
  const ProcessResult demo =
      run_process(LIKEMATCH_BINARY, {"demo", "--events", "2000", "--users", "50", "--log-format",
                                     "json", "--log-level", "debug"});
  CHECK(demo.status == 0);
  const std::vector<std::string> lines = lines_of(demo.err);
  CHECK(lines.size() > 10);
  for (const std::string& line : lines) {
    check_fields(line);
  }
  CHECK(demo.err.find("harness: 2000 events generated") != std::string::npos);
}

}  // namespace
}  // namespace likematch::test
