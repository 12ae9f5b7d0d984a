// `likematch serve --record` over loopback: replaying a recording must print exactly what the
// listener was sent, and a recording that fails never stops the session.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/temp_dir.hpp"

namespace likematch::test {
namespace {

namespace fs = std::filesystem;
using testing::files_in;
using testing::TempDir;

std::string replay(const fs::path& file) {
  cli::ReplayOptions options;
  options.files = {file.string()};
  testing::CapturedOutput captured;
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
    CHECK(testing::read_whole_file(files[i]) == messy_run(session));
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
  testing::TempDir copy;
  replay_options.files = {copy.write("events", events)};
  testing::CapturedOutput captured;
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
}

}  // namespace
}  // namespace likematch::test
