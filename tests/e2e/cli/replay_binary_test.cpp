// `likematch replay` as a process: exit statuses, standard input and output as pipes, and
// what it does when they fail. What replay prints is tested in process in
// tests/cli/replay_test.cpp.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/challenge_example.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

using cli::ReplayOptions;

// The challenge's example as a process's standard input.
const std::string k_example{k_challenge_example};

TEST_CASE("replay joins its files as cat does: a line may run on into the next file", "[replay]") {
  TempDir dir;
  const std::string a = dir.write("a.events", "1|LIKE_LI");
  const std::string b = dir.write("b.events", "KED|1|2\n2|LIKE_LIKED|2|1\nbad\n");
  const ProcessResult run = replay(on_files({a, b}));
  CHECK(run.out == "2\n");
  // Lines are named where they begin, and numbered in each file as an editor shows them.
  CHECK(run.err == b + ":3: expected 4 fields separated by '|', got 1\n");
  // The same as `cat a.events b.events | likematch replay`.
  const auto piped =
      run_process(LIKEMATCH_BINARY, {"replay"}, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nbad\n");
  CHECK(piped.out == run.out);
}

TEST_CASE("the binary exits 2 on usage errors", "[replay][binary]") {
  const std::vector<std::vector<std::string>> usages = {
      {},
      {"replay", "--rule", "sometimes"},
      {"replay", "--self-like-rule", "sometimes"},
      {"replay", "--no-such-option"},
      {"replay", "--max-warnings", "many"},
      {"replay", "--max-warnings", "-1"},
      {"frobnicate"},
      {"generate", "--shuffle", "window:0"},
      {"generate", "--users", "0"},
      {"generate", "--events", "-5"},
  };
  for (const auto& args : usages) {
    std::string joined;
    for (const auto& arg : args) {
      joined += " " + arg;
    }
    INFO("likematch" << joined);
    const auto result = run_process(LIKEMATCH_BINARY, args);
    CHECK(result.status == 2);
    CHECK(result.out.empty());
    CHECK_FALSE(result.err.empty());
  }
}

TEST_CASE("the binary exits 0 for --help and --version", "[replay][binary]") {
  CHECK(run_process(LIKEMATCH_BINARY, {"--help"}).status == 0);
  CHECK(run_process(LIKEMATCH_BINARY, {"replay", "--help"}).status == 0);
  const auto version = run_process(LIKEMATCH_BINARY, {"--version"});
  CHECK(version.status == 0);
  CHECK_THAT(version.out, Catch::Matchers::StartsWith("likematch "));
}

TEST_CASE("every command that matches or judges takes --self-like-rule", "[replay][binary]") {
  for (const std::string command : {"replay", "serve", "generate", "harness", "demo"}) {
    INFO(command);
    const auto help = run_process(LIKEMATCH_BINARY, {command, "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("--self-like-rule RULE") != std::string::npos);
  }
  const std::string self_likes = "1|LIKE_LIKED|7|7\n2|LIKE_LIKED|7|7\n";
  CHECK(run_process(LIKEMATCH_BINARY, {"replay", "--self-like-rule", "MATCH"}, self_likes).out ==
        "1\n2\n");
  CHECK(run_process(LIKEMATCH_BINARY, {"replay", "--self-like-rule", "ignore"}, self_likes)
            .out.empty());
}

TEST_CASE("the binary replays standard input", "[replay][binary]") {
  const auto result = run_process(LIKEMATCH_BINARY, {"replay"}, k_example);
  CHECK(result.status == 0);
  CHECK(result.out == "4\n7\n");
  CHECK(result.err.empty());
  CHECK(run_process(LIKEMATCH_BINARY, {"replay", "-"}, k_example).out == "4\n7\n");
}

TEST_CASE("the binary exits 65 under --strict", "[replay][binary]") {
  const auto result =
      run_process(LIKEMATCH_BINARY, {"replay", "--strict"}, "1|LIKE_LIKED|1|2\n1|x\n");
  CHECK(result.status == 65);
  CHECK(result.err == "standard input:2: error: expected 4 fields separated by '|', got 2\n");
}

namespace {

// Reads from `fd` until `wanted` bytes came or `timeout` passed; never blocks longer.
std::string read_with_timeout(int fd, std::size_t wanted, std::chrono::milliseconds timeout) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (got.size() < wanted) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
      break;
    }
    char buffer[256];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) {
      break;
    }
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

}  // namespace

TEST_CASE("the binary prints a match while its input is still open", "[replay][binary]") {
  int to_child[2];
  int from_child[2];
  REQUIRE(::pipe2(to_child, O_CLOEXEC) == 0);
  REQUIRE(::pipe2(from_child, O_CLOEXEC) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], 0);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], 1);
  std::string program = LIKEMATCH_BINARY;
  std::string subcommand = "replay";
  std::string dash = "-";
  char* argv[] = {program.data(), subcommand.data(), dash.data(), nullptr};
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  REQUIRE(spawned == 0);

  const std::string events = "EVENT BEGIN\n2|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\n";
  CHECK(::write(to_child[1], events.data(), events.size()) == static_cast<ssize_t>(events.size()));
  // The match must come out now, with standard input still open.
  const std::string first = read_with_timeout(from_child[0], 2, std::chrono::seconds(10));
  CHECK(first == "2\n");

  const std::string more = "4|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n";
  CHECK(::write(to_child[1], more.data(), more.size()) == static_cast<ssize_t>(more.size()));
  const std::string second = read_with_timeout(from_child[0], 4, std::chrono::seconds(10));
  CHECK(second == "3\n4\n");

  ::close(to_child[1]);
  const std::string rest = read_with_timeout(from_child[0], 1, std::chrono::seconds(10));
  CHECK(rest.empty());  // end of file: nothing more to say
  ::close(from_child[0]);
  int wait_status = 0;
  if (first.empty()) {
    ::kill(pid, SIGKILL);  // it did not stream: do not leave it behind
  }
  ::waitpid(pid, &wait_status, 0);
  CHECK(WIFEXITED(wait_status));
  CHECK(WEXITSTATUS(wait_status) == 0);
}

TEST_CASE("replay exits 1, not aborted, when standard error cannot be written either",
          "[replay][binary]") {
  if (::access("/dev/full", W_OK) != 0) {
    WARN("skipped: no /dev/full here");
    return;
  }
  TempDir dir;
  const std::string events = dir.write("example.events", k_example);
  const auto result = run_process(LIKEMATCH_BINARY, {"replay", events}, "",
                                  likematch::test::Stdout::full, likematch::test::Stderr::full);
  REQUIRE(result.status != -1);  // exited by itself, not aborted
  CHECK(result.status == 1);
}

TEST_CASE("replay stops quietly with exit 0 when its reader has left", "[replay][binary]") {
  TempDir dir;
  std::string events;
  for (int i = 1; i <= 20'000; ++i) {  // more matches than a pipe holds
    events += std::to_string(2 * i - 1) + "|LIKE_LIKED|" + std::to_string(i) + "|0\n";
    events += std::to_string(2 * i) + "|LIKE_LIKED|0|" + std::to_string(i) + "\n";
  }
  const auto result = run_process(LIKEMATCH_BINARY, {"replay", dir.write("many.events", events)},
                                  "", likematch::test::Stdout::closed_pipe);
  CHECK(result.status == 0);
  CHECK(result.err.empty());
}

}  // namespace likematch::test
