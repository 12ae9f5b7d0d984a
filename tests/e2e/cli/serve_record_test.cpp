// `likematch serve --record` over loopback: replaying a recording must print exactly what the
// listener was sent, and a recording that fails never stops the session.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/files.hpp"
#include "tests/support/running_serve.hpp"

namespace likematch::test {
namespace {

namespace fs = std::filesystem;

std::string replay(const fs::path& file) {
  cli::ReplayOptions options;
  options.files = {file.string()};
  test::CapturedOutput captured;
  REQUIRE(cli::run_replay(options, captured.output()) == 0);
  return captured.out();
}

// A shuffled generated run with a few bad lines, as a source would send it.
std::string messy_run(std::uint64_t seed) {
  GeneratorOptions options;
  options.events = 20'000;
  options.users = 100;
  options.seed = seed;
  std::string text = "EVENT BEGIN\n";
  std::uint64_t count = 0;
  for (const Event& event : generate_events(options)) {
    append_line(text, event);
    if (++count % 5'000 == 0) {
      text += "7|like_liked|1|2\r\n\xFF\n";
    }
  }
  return text + "EVENT END\n";
}

TEST_CASE("serve --record: replaying each session's file prints exactly the matches served",
          "[serve][record]") {
  TempDir dir;
  ServeOptions options = RunningServe::listen_options();
  options.record_dir = dir.path("records");
  RunningServe serve(options);
  std::vector<std::string> received;
  for (std::uint64_t session = 1; session <= 2; ++session) {
    const std::string events = messy_run(session);
    Peer listener = serve.listener();
    REQUIRE(listener.send("MATCH BEGIN\n"));
    // A stray connection that never sends a valid line leaves no file.
    Peer stray = serve.source();
    REQUIRE(stray.send("hello\n"));
    Peer source = serve.source();
    // In uneven pieces, as a network would deliver them.
    for (std::size_t at = 0; at < events.size(); at += 7'777) {
      REQUIRE(source.send(std::string_view(events).substr(at, 7'777)));
    }
    REQUIRE(serve.log().wait_for(fmt::format("session {} input ended", session)));
    REQUIRE(listener.send("MATCH END - OK\n"));
    REQUIRE(listener.wait_closed());
    REQUIRE(serve.log().wait_for(fmt::format("session {} (EVENT END)", session)));
    received.push_back(listener.received);
    source.close();
    stray.close();
  }
  serve.stop();
  const std::vector<fs::path> files = files_in(options.record_dir);
  REQUIRE(files.size() == 2);
  const std::regex name(R"(\d{8}T\d{6}\.\d{3}Z-session-([12])\.events)");
  for (std::size_t i = 0; i < 2; ++i) {
    INFO(files[i].filename().string());
    std::smatch found;
    const std::string file_name = files[i].filename().string();
    REQUIRE(std::regex_match(file_name, found, name));
    const std::size_t session = std::stoul(found[1].str());
    CHECK(test::read_file(files[i]) == messy_run(session));
    REQUIRE(!received[session - 1].empty());
    CHECK(replay(files[i]) == received[session - 1]);
  }
  CHECK(serve.log().contains("session 1: recording to " + options.record_dir));
}

TEST_CASE("serve --record: a full disk is logged and the session goes on", "[serve][record]") {
  TempDir dir;
  ServeOptions options = RunningServe::listen_options();
  options.record_dir = dir.path("");
  options.open_recording = [](const std::string&) {
    return ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  };
  RunningServe serve(options);
  const std::string events = messy_run(3);
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(events));
  REQUIRE(serve.log().wait_for("session 1 input ended (EVENT END): 20000 events"));
  REQUIRE(listener.send("MATCH END - OK\n"));
  REQUIRE(listener.wait_closed());
  CHECK(serve.log().contains("--record: recording "));
  CHECK(serve.log().contains("stopped: cannot write: No space left on device"));
  cli::ReplayOptions replay_options;
  test::TempDir copy;
  replay_options.files = {copy.write("events", events)};
  test::CapturedOutput captured;
  REQUIRE(cli::run_replay(replay_options, captured.output()) == 0);
  CHECK(listener.received == captured.out());
}

TEST_CASE("serve --record: a file that cannot be created is logged and the session goes on",
          "[serve][record]") {
  TempDir dir;
  ServeOptions options = RunningServe::listen_options();
  options.record_dir = dir.path("");
  RunningServe serve(options);
  // The directory goes away under the server.
  fs::remove_all(options.record_dir);
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n"));
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "2\n");
  CHECK(serve.log().wait_for("session 1 is not recorded: cannot create"));
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  // Said once, and not contradicted by a line naming a file that was never made.
  CHECK_FALSE(serve.log().contains("recording to"));
  const std::vector<std::string> lines = serve.log().lines();
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
          return line.find("--record") != std::string::npos;
        }) == 1);
}

// What serve and replay said about one session's input, in a form both can be read into:
// the list, each warning as "LINE: TEXT" (0 for the stream as a whole), and the counters.
struct Said {
  std::string list;
  std::vector<std::string> warnings;
  std::string counts;  // "matches N, malformed N, gaps N"
};

// From serve's log: the warnings about source `source`, and the summary's counters.
Said from_log(const std::vector<std::string>& log, const std::string& list) {
  Said said{list, {}, {}};
  const std::regex line_warning(R"(source \d+ line (\d+): (.*))");
  const std::regex stream_warning(R"(^session \d+: (\d+ sequence numbers? .*))");
  const std::regex summary(
      R"(session \d+ \(.*\): .*, (\d+) match(es)?, (\d+) malformed, .*, (\d+) gaps?,)");
  for (const std::string& entry : log) {
    std::smatch found;
    if (std::regex_search(entry, found, line_warning)) {
      said.warnings.push_back(found[1].str() + ": " + found[2].str());
    } else if (std::regex_search(entry, found, stream_warning)) {
      said.warnings.push_back("0: " + found[1].str());
    } else if (std::regex_search(entry, found, summary)) {
      said.counts = "matches " + found[1].str() + ", malformed " + found[3].str() + ", gaps " +
                    found[4].str();
    }
  }
  return said;
}

// From `likematch replay --stats FILE`.
Said from_replay(const fs::path& file) {
  cli::ReplayOptions options;
  options.files = {file.string()};
  options.stats = true;
  test::CapturedOutput captured;
  cli::run_replay(options, captured.output());
  Said said{captured.out(), {}, {}};
  const std::string err = captured.err();
  const std::regex line_warning("^" + file.string() + R"(:(\d+): (.*))");
  const std::regex stream_warning(R"(^end of input: (.*))");
  const std::regex stats(
      R"(^likematch: .*, (\d+) match(es)? \(rule .*, (\d+) malformed .*, (\d+) missing,)");
  for (std::size_t at = 0; at < err.size();) {
    const std::size_t end = err.find('\n', at);
    const std::string entry = err.substr(at, end - at);
    at = end + 1;
    std::smatch found;
    if (std::regex_search(entry, found, line_warning)) {
      said.warnings.push_back(found[1].str() + ": " + found[2].str());
    } else if (std::regex_search(entry, found, stream_warning)) {
      said.warnings.push_back("0: " + found[1].str());
    } else if (std::regex_search(entry, found, stats)) {
      said.counts = "matches " + found[1].str() + ", malformed " + found[3].str() + ", gaps " +
                    found[4].str();
    }
  }
  return said;
}

TEST_CASE("serve and replay of its recording say the same about every input",
          "[serve][record][replay]") {
  struct Case {
    std::string name;
    std::string bytes;
    bool stop_serve;  // SIGTERM during the session instead of the source's close
  };
  const std::vector<Case> cases = {
      // A byte order mark after a skipped first line is not at the start: both read it as
      // part of the sequence number, so 1 never arrives.
      {"a byte order mark after an overlong first line",
       std::string(5'000, 'x') + "\n\xEF\xBB\xBF"
                                 "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n",
       false},
      // A stray first EVENT END ends nothing: both report it and read on.
      {"EVENT END before the session", "EVENT END\n2|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\nEVENT END\n",
       false},
      // Lines before the first valid one are the session's malformed lines, in both.
      {"junk before the first valid line",
       "hello\nGET / HTTP/1.1\r\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n", false},
      // A session cut by shutdown decides what it has, and says what never arrived.
      {"a session cut by shutdown", "EVENT BEGIN\n2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n", true},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TempDir dir;
      ServeOptions options = RunningServe::listen_options();
      options.record_dir = dir.path("records");
      RunningServe serve(options);
      Peer listener = serve.listener();
      REQUIRE(serve.log().wait_for("listener 1 connected"));
      Peer source = serve.source();
      REQUIRE(source.send(c.bytes));
      REQUIRE(serve.log().wait_for("session 1 begins"));
      if (c.stop_serve) {
        REQUIRE(source.send(""));
        serve.stop();
      } else {
        source.close();
        REQUIRE(serve.log().wait_for("session 1 input ended"));
        listener.read_until([](const std::string& text) { return text.size() >= 2; },
                            std::chrono::milliseconds(500));
        REQUIRE(listener.send("MATCH END - OK\n"));
        REQUIRE(serve.log().wait_for("session 1 ("));
        serve.stop();
      }
      const std::vector<fs::path> files = files_in(options.record_dir);
      REQUIRE(files.size() == 1);
      CHECK(test::read_file(files[0]) == c.bytes);
      const Said served = from_log(serve.log().lines(), listener.received);
      const Said replayed = from_replay(files[0]);
      INFO(serve.log().text());
      if (!c.stop_serve) {
        // At shutdown the connections close at once: the listener may not get the last ones.
        CHECK(served.list == replayed.list);
      }
      CHECK(served.warnings == replayed.warnings);
      CHECK(served.counts == replayed.counts);
      CHECK_FALSE(served.warnings.empty());
      CHECK_FALSE(served.counts.empty());
    }
  }
}

}  // namespace
}  // namespace likematch::test
