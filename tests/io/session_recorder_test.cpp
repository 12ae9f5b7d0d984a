// serve --record: the recorder on its own, and through `likematch serve` over loopback, where
// replaying a recording must print exactly what the listener was sent.
#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "core/generator.hpp"
#include "core/reference_matcher.hpp"
#include "io/session_recorder.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/temp_dir.hpp"

namespace likematch::test {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<fs::path> files_in(const std::string& directory) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

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

TEST_CASE("recorder: a session's file holds the connection's bytes from the first one",
          "[record]") {
  TempDir dir;
  io::SessionRecorder recorder(dir.path(""));
  CHECK(recorder.append(1, "junk\nEVENT BEG") == std::nullopt);
  CHECK(recorder.append(2, "EVENT BEGIN\n") == std::nullopt);
  CHECK(recorder.append(1, "IN\n1|LIKE_LIKED|1|2\n") == std::nullopt);
  CHECK(recorder.begin(1, 7, std::chrono::system_clock::time_point{}) == std::nullopt);
  CHECK(recorder.path(1) == dir.path("19700101T000000.000Z-session-7.events"));
  CHECK(recorder.append(1, "EVENT END\n") == std::nullopt);
  CHECK(recorder.end(1) == std::nullopt);
  CHECK(recorder.append(1, "after the end\n") == std::nullopt);
  CHECK(recorder.closed(1) == std::nullopt);
  // Connection 2 never became a session: no file.
  CHECK(recorder.closed(2) == std::nullopt);
  REQUIRE(files_in(dir.path("")).size() == 1);
  CHECK(testing::read_whole_file(dir.path("19700101T000000.000Z-session-7.events")) ==
        "junk\nEVENT BEGIN\n1|LIKE_LIKED|1|2\nEVENT END\n");
}

TEST_CASE("recorder: never overwrites a file, and says so", "[record]") {
  TempDir dir;
  dir.write("19700101T000000.000Z-session-1.events", "older\n");
  io::SessionRecorder recorder(dir.path(""));
  CHECK(recorder.append(1, "EVENT BEGIN\n") == std::nullopt);
  const std::string error =
      recorder.begin(1, 1, std::chrono::system_clock::time_point{}).value_or("");
  CHECK(error.find("session 1 is not recorded: cannot create") != std::string::npos);
  CHECK(error.find("File exists") != std::string::npos);
  CHECK(testing::read_whole_file(dir.path("19700101T000000.000Z-session-1.events")) == "older\n");
}

TEST_CASE("recorder: before its session, a connection holds at most 1 MiB, the newest",
          "[record]") {
  TempDir dir;
  io::SessionRecorder recorder(dir.path(""));
  const std::string junk(io::SessionRecorder::k_max_prefix, 'x');
  CHECK(recorder.append(1, junk) == std::nullopt);
  CHECK(recorder.append(1, "\nEVENT BEGIN\n") == std::nullopt);
  const std::string error =
      recorder.begin(1, 1, std::chrono::system_clock::time_point{}).value_or("");
  CHECK(error.find("the first 13 bytes before the session's first line are not recorded") !=
        std::string::npos);
  CHECK(recorder.closed(1) == std::nullopt);
  CHECK(fs::file_size(files_in(dir.path("")).at(0)) == io::SessionRecorder::k_max_prefix);
}

TEST_CASE("recorder: a full disk ends the file with a message", "[record]") {
  TempDir dir;
  io::SessionRecorder recorder(
      dir.path(""), [](const std::string&) { return ::open("/dev/full", O_WRONLY | O_CLOEXEC); });
  CHECK(recorder.append(1, "EVENT BEGIN\n") == std::nullopt);
  const std::string error =
      recorder.begin(1, 1, std::chrono::system_clock::time_point{}).value_or("");
  CHECK(error.find("stopped: cannot write: No space left on device") != std::string::npos);
  // Nothing more is tried (one message, not one per read).
  CHECK(recorder.append(1, "1|LIKE_LIKED|1|2\n") == std::nullopt);
  CHECK(recorder.closed(1) == std::nullopt);
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
