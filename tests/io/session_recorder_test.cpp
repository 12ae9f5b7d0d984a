// serve --record's recorder on its own: what each connection's file holds, and its errors.
#include "io/session_recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "io/session_recorder.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {
namespace {

namespace fs = std::filesystem;

}  // namespace

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
  CHECK(test::read_file(dir.path("19700101T000000.000Z-session-7.events")) ==
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
  CHECK(test::read_file(dir.path("19700101T000000.000Z-session-1.events")) == "older\n");
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

}  // namespace likematch::test
