// The edges of the options and the words, as a new user met them: each edge found has a test
// here or names the one that covers it. Most run the binary, as the user does.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <asio.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/serve.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/running_serve.hpp"

namespace likematch::test {
namespace {

// A new user met this: 3 and 2 wait for 1, never more than 2 events at once.
constexpr std::string_view k_two_wait =
    "3|LIKE_LIKED|2|1\n2|LIKE_LIKED|1|2\n1|LIKE_LIKED|2|1\n4|LIKE_LIKED|1|2\n5|LIKE_LIKED|2|1\n";

ProcessResult likematch(const std::vector<std::string>& args, const std::string& input = "") {
  return run_process(LIKEMATCH_BINARY, args, input);
}

// A limit of N lets N events wait: the check was once off by one.
TEST_CASE("replay --max-buffered N lets N events wait, not N - 1", "[edges][limits]") {
  const ProcessResult result =
      likematch({"replay", "--max-buffered", "2", "-"}, std::string(k_two_wait));
  CHECK(result.status == 0);
  CHECK(result.out == "2\n3\n4\n5\n");
  CHECK(result.err.empty());
}

// Input in order never waits: its depth is 0, not 1.
TEST_CASE("replay --stats gives in-order input a reorder depth of 0", "[edges][limits]") {
  const ProcessResult result =
      likematch({"replay", "--stats", "-"}, "1|LIKE_LIKED|2|1\n2|LIKE_LIKED|1|2\n");
  CHECK(result.status == 0);
  CHECK_THAT(result.err, Catch::Contains(", largest reorder depth 0, "));
  const ProcessResult two = likematch({"replay", "--stats", "-"}, std::string(k_two_wait));
  CHECK_THAT(two.err, Catch::Contains(", largest reorder depth 2, "));
}

// serve on free ports, letting at most two events wait for an earlier number.
ServeOptions letting_two_wait() {
  ServeOptions options = RunningServe::listen_options();
  options.hub.engine.max_buffered = 2;
  return options;
}

// The same limit, in serve.
TEST_CASE("serve --max-buffered N lets N events wait, not N - 1", "[edges][limits][serve]") {
  RunningServe serve(letting_two_wait());
  Peer listener = serve.listener();
  REQUIRE(serve.log().wait_for("listener 1 connected"));
  Peer source = serve.source();
  REQUIRE(source.send(std::string(k_two_wait) + "EVENT END\n"));
  REQUIRE(listener.read_size(8));
  CHECK(listener.received == "2\n3\n4\n5\n");
  CHECK_FALSE(serve.log().contains("cut"));
}

// Durations that overflowed, fired at once or became "never" are refused or rounded
// up; the rows are in tests/cli/options_test.cpp. The binary says so before anything runs.
TEST_CASE("a duration past the maximum is a usage error, not a timer that fires at once",
          "[edges][options]") {
  const ProcessResult idle = likematch({"serve", "--idle-timeout", "1e10"});
  CHECK(idle.status == cli::k_exit_usage);
  CHECK(idle.err ==
        "likematch: --idle-timeout: must be a number of seconds from 0 to 1000000, got "
        "'1e10'\nRun 'likematch serve --help' for more information.\n");
  const ProcessResult timeout = likematch({"harness", "--timeout", "9300000000"});
  CHECK(timeout.status == cli::k_exit_usage);
  CHECK(timeout.err ==
        "likematch: --timeout: must be a number of seconds above 0, up to 1000000, got "
        "'9300000000'\nRun 'likematch harness --help' for more information.\n");
  const ProcessResult delay = likematch({"harness", "--listener-delay", "10000000000000"});
  CHECK(delay.status == cli::k_exit_usage);
  const ProcessResult connect = likematch({"harness", "--connect-timeout", "18446744073709551615"});
  CHECK(connect.status == cli::k_exit_usage);
}

// Standard error full or closed must not cost standard output a match.
TEST_CASE("replay writes every match when standard error cannot be written", "[edges][replay]") {
  const std::string input = "1|LIKE_LIKED|1|2\nbad line\n2|LIKE_LIKED|2|1\n";
  if (::access("/dev/full", W_OK) == 0) {
    const ProcessResult full =
        run_process(LIKEMATCH_BINARY, {"replay", "-"}, input, Stdout::file, Stderr::full);
    CHECK(full.out == "2\n");
    CHECK(full.status == 0);
  } else {
    WARN("skipped 2>/dev/full: no /dev/full here");
  }
  const ProcessResult closed =
      run_process(LIKEMATCH_BINARY, {"replay", "-"}, input, Stdout::file, Stderr::closed);
  CHECK(closed.out == "2\n");
  CHECK(closed.status == 0);
}

// --strict refuses input with a gap as a whole: nothing decided, and the word is "error".
TEST_CASE("replay --strict stops before deciding past a gap, and says error, not ignored",
          "[edges][replay]") {
  const ProcessResult gap =
      likematch({"replay", "--strict", "-"}, "5|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\n");
  CHECK(gap.status == cli::k_exit_data_error);
  CHECK(gap.out.empty());
  CHECK(gap.err == "end of input: error: 3 sequence numbers never arrived: 2-4\n");
  const ProcessResult duplicate =
      likematch({"replay", "--strict", "-"}, "1|LIKE_LIKED|1|2\n1|LIKE_LIKED|1|2\n");
  CHECK(duplicate.status == cli::k_exit_data_error);
  CHECK(duplicate.err == "standard input:2: error: sequence number 1 was already decided\n");
}

// The limit counts a line's bytes, not its CRLF ending.
TEST_CASE("replay --max-line-length does not count a line's carriage return", "[edges][replay]") {
  // "1|LIKE_LIKED|1|2" is 16 bytes.
  const ProcessResult crlf = likematch({"replay", "--max-line-length", "16", "-"},
                                       "1|LIKE_LIKED|1|2\r\n2|LIKE_LIKED|2|1\r\n");
  CHECK(crlf.status == 0);
  CHECK(crlf.out == "2\n");
  CHECK(crlf.err.empty());
  const ProcessResult longer =
      likematch({"replay", "--max-line-length", "15", "-"}, "1|LIKE_LIKED|1|2\r\n");
  CHECK(longer.err == "standard input:1: line longer than 15 bytes, skipped\n");
  const ProcessResult one = likematch({"replay", "--max-line-length", "1", "-"}, "12\n");
  CHECK(one.err == "standard input:1: line longer than 1 byte, skipped\n");
}

// What serve says when it refuses to start with `options`; it must refuse, and exit 1.
std::string refusal(const ServeOptions& options) {
  test::CapturedOutput captured;
  const auto logger = cli::make_logger(cli::LogOptions{}, captured.output());
  cli::ServeInstance instance(options, logger, captured.output());
  REQUIRE(instance.start_error().has_value());
  const std::string said = *instance.start_error();
  CHECK(instance.run() == cli::k_exit_failure);
  return said;
}

// --summary-json and --record are checked before serve listens, with a clean message.
TEST_CASE("serve refuses a --summary-json it cannot open, at once", "[edges][serve]") {
  TempDir dir;
  for (const std::string& path : {std::string("/nonexistent/x.jsonl"), dir.path("")}) {
    INFO(path);
    ServeOptions options = RunningServe::listen_options();
    options.summary_json = path;
    CHECK_THAT(refusal(options), Catch::StartsWith("--summary-json: cannot open " + path));
  }
}

TEST_CASE("serve says at the first summary that --summary-json could not be written",
          "[edges][serve]") {
  if (::access("/dev/full", W_OK) != 0) {
    WARN("skipped: no /dev/full here");
    return;
  }
  ServeOptions options = RunningServe::listen_options();
  options.summary_json = "/dev/full";
  RunningServe serve(options);
  Peer listener = serve.listener();
  REQUIRE(serve.log().wait_for("listener 1 connected"));
  Peer source = serve.source();
  REQUIRE(source.send("1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n"));
  REQUIRE(listener.read_size(2));
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(serve.log().wait_for(
      "--summary-json: cannot write /dev/full: No space left on device: session 1's summary "
      "is not in the file"));
}

TEST_CASE("serve refuses a --record that is a file or cannot be made, without an exception",
          "[edges][serve]") {
  TempDir dir;
  const std::string file = dir.write("taken", "x");
  const std::vector<std::pair<std::string, std::string>> cases{
      {file, "--record: " + file + " is not a directory"},
      {file + "/sub", "--record: cannot create directory " + file + "/sub: Not a directory"},
  };
  for (const auto& [path, message] : cases) {
    INFO(path);
    ServeOptions options = RunningServe::listen_options();
    options.record_dir = path;
    CHECK(refusal(options) == message);
  }
  // The binary: exit 1 and the message, no "filesystem error".
  const ProcessResult binary =
      likematch({"serve", "--source-port", "0", "--listener-port", "0", "--record", file});
  CHECK(binary.status == cli::k_exit_failure);
  CHECK_THAT(binary.err, Catch::Contains("--record: " + file + " is not a directory"));
  CHECK_THAT(binary.err, !Catch::Contains("filesystem error"));
}

// A cut ends the reading: the numbers missing then may still have been on their way.
TEST_CASE("a --max-buffered cut says the later numbers had not arrived, not never arrived",
          "[edges][replay]") {
  const ProcessResult result = likematch(
      {"replay", "--max-buffered", "2", "--stats", "-"},
      "4|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n5|LIKE_LIKED|1|2\n1|LIKE_LIKED|2|1\n");
  CHECK(result.status == 0);
  CHECK_THAT(result.err,
             Catch::StartsWith(
                 "standard input:3: more than 2 events wait for an earlier sequence number: the "
                 "session is cut here, what arrived is decided\n"
                 "end of input: 1 sequence number had not arrived when the session was cut: 1\n"
                 "standard input:4: line after the session was cut, ignored\n"
                 "standard input:5: line after the session was cut, ignored\n"));
  CHECK_THAT(result.err, !Catch::Contains("never arrived"));
  CHECK_THAT(result.err, Catch::Contains(", 0 misplaced control lines, 2 after the end, "));
  const ProcessResult one =
      likematch({"replay", "--max-buffered", "1", "-"}, "3|LIKE_LIKED|2|1\n2|LIKE_LIKED|1|2\n");
  CHECK_THAT(one.err, Catch::StartsWith("standard input:2: more than 1 event waits for an "
                                        "earlier sequence number"));
}

TEST_CASE("replay --stats counts lines after EVENT END as after the end, not misplaced",
          "[edges][replay]") {
  const ProcessResult result = likematch(
      {"replay", "--stats", "-"}, "1|LIKE_LIKED|1|2\nEVENT END\n2|LIKE_LIKED|2|1\nEVENT BEGIN\n");
  CHECK_THAT(result.err, Catch::Contains(", 0 misplaced control lines, 2 after the end, "));
}

TEST_CASE("serve's summary of a cut session says cut, and no number never arrived",
          "[edges][serve]") {
  RunningServe serve(letting_two_wait());
  Peer listener = serve.listener();
  REQUIRE(serve.log().wait_for("listener 1 connected"));
  Peer source = serve.source();
  REQUIRE(
      source.send("4|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n5|LIKE_LIKED|1|2\n1|LIKE_"
                  "LIKED|2|1\n"));
  REQUIRE(serve.log().wait_for("cut at the buffer limit"));
  CHECK(serve.log().wait_for("1 sequence number had not arrived when the session was cut: 1"));
  CHECK_FALSE(serve.log().contains("never arrived"));
}

// The advice for one user names options demo has.
TEST_CASE("demo with one user gives advice demo can follow", "[edges][demo]") {
  const ProcessResult result = likematch({"demo", "--events", "10", "--users", "1"});
  CHECK(result.status == cli::k_exit_usage);
  CHECK(result.out.empty());
  // demo takes --self-likes too (since the self-likes work), so the advice names both ways.
  CHECK(result.err ==
        "likematch: one user can only like itself: use --users 2 or more, or --self-likes\nRun "
        "'likematch demo --help' for more information.\n");
  // Both pieces of advice are options demo has.
  const ProcessResult more_users = likematch({"demo", "--events", "10", "--users", "2"});
  CHECK(more_users.status == cli::k_exit_ok);
  const ProcessResult self_likes =
      likematch({"demo", "--events", "10", "--users", "1", "--self-likes"});
  CHECK(self_likes.status == cli::k_exit_ok);
}

// The unknown command is also in tests/cli/options_test.cpp.
TEST_CASE("likematch foo and likematch help do not ask for a subcommand", "[edges][options]") {
  const ProcessResult foo = likematch({"foo"});
  CHECK(foo.status == cli::k_exit_usage);
  CHECK(foo.err ==
        "likematch: 'foo' is not a command: the commands are replay, generate, harness, serve, "
        "demo, worker\nRun 'likematch --help' for more information.\n");
  const ProcessResult help = likematch({"help"});
  CHECK(help.status == 0);
  CHECK(help.err.empty());
  CHECK_THAT(help.out, Catch::Contains("Usage: likematch [OPTIONS] SUBCOMMAND"));
  CHECK_THAT(help.out, Catch::Contains("replay"));
}

// A read error on standard input names it.
TEST_CASE("replay names standard input when reading it fails", "[edges][replay]") {
  TempDir dir;
  const ProcessResult result =
      run_process(LIKEMATCH_BINARY, {"replay"}, "", Stdout::file, Stderr::file, dir.path(""));
  REQUIRE(result.status != -1);  // exited by itself
  CHECK(result.status == cli::k_exit_failure);
  CHECK_THAT(result.err, Catch::Matches("likematch: standard input: .*Is a directory\n"));
}

// One is singular.
TEST_CASE("counts of one are singular", "[edges][words]") {
  const ProcessResult one_warning =
      likematch({"replay", "--max-warnings", "1", "-"}, "bad\nworse\n1|LIKE_LIKED|1|2\n");
  CHECK_THAT(
      one_warning.err,
      Catch::EndsWith("likematch: 1 more warning not shown (--max-warnings N shows up to N)\n"));
  const ProcessResult stats = likematch(
      {"replay", "--stats", "-"}, "2|LIKE_LIKED|1|2\n2|LIKE_LIKED|1|2\nbad\n1|LIKE_LIKED|2|1\n");
  CHECK_THAT(stats.err, Catch::Contains("likematch: 4 lines, 2 events, 1 match (rule ever), "
                                        "1 malformed (0 oversized), 1 duplicate (0 conflicting)"));
}

// Addresses with a colon are bracketed before the port.
TEST_CASE("the harness prints an IPv6 address in brackets", "[edges][harness]") {
  asio::io_context io;
  asio::ip::tcp::acceptor probe(io);
  std::error_code error;
  probe.open(asio::ip::tcp::v6(), error);
  if (!error) {
    probe.bind({asio::ip::address_v6::loopback(), 0}, error);
  }
  if (error) {
    WARN("skipped: no IPv6 loopback here");
    return;
  }
  probe.close();
  const ProcessResult result =
      likematch({"harness", "--listen", "--bind", "::1", "--source-port", "0", "--listener-port",
                 "0", "--timeout", "0.2", "--events", "10", "--users", "5"});
  CHECK(result.status == cli::k_exit_no_verdict);
  CHECK_THAT(result.err,
             Catch::Matches("(.|\n)*harness: listening on \\[::1\\]:[0-9]+ \\(Event "
                            "Source\\) and \\[::1\\]:[0-9]+ \\(Event Listener\\)(.|\n)*"));
}

}  // namespace
}  // namespace likematch::test
