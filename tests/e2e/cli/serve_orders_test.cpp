// The orders and paces a harness may take against a listening `serve` (docs/protocol.md,
// "Sessions"), over loopback with test-side sockets: each must end with the run's own whole
// list and `MATCH END - OK`, and no listener may lose numbers. The numbered cases are those
// of the bug report that asked for this policy.
#include <netinet/in.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "core/harness/generator.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {
namespace {

// 2,000 events over 30 users: a few hundred matches, a list of a few kilobytes.
const Session& run_a() {
  static const Session session = generated_session(stream_options(2'000, 30, 3));
  return session;
}
const Session& run_b() {
  static const Session session = generated_session(stream_options(2'000, 30, 4));
  return session;
}

// The listener's part of a run: greets, reads the whole expected list, says OK, is closed.
void judge(Peer& listener, const Session& run) {
  REQUIRE(listener.read_size(run.expected.size()));
  CHECK(listener.received == run.expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(listener.wait_closed());
}

// A sequential harness: sends its whole stream, closes the source, waits `late`, then
// connects its listener.
void sequential_run(RunningServe& serve, const Session& run, std::chrono::milliseconds late) {
  {
    Peer source = serve.source();
    REQUIRE(source.send(run.text));
  }
  std::this_thread::sleep_for(late);
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  judge(listener, run);
}

TEST_CASE(
    "serve: a sequential harness's listener 0.1 s and 1 s after the source closed gets "
    "its list",
    "[serve][orders]") {
  RunningServe serve;
  sequential_run(serve, run_a(), 100ms);
  REQUIRE(serve.log().wait_for("session 1: listener 2: MATCH END - OK"));
  sequential_run(serve, run_b(), 1000ms);
  REQUIRE(serve.log().wait_for("session 2: listener 4: MATCH END - OK"));
}

TEST_CASE("serve: a sequential harness's listener 20 s after the source closed gets its list",
          "[serve][orders]") {
  RunningServe serve;
  sequential_run(serve, run_a(), 20s);
  CHECK(serve.log().wait_for("session 1: listener 2: MATCH END - OK"));
}

TEST_CASE("serve: a probe of either port between EVENT END and the listener changes nothing",
          "[serve][orders]") {
  RunningServe serve;
  {
    Peer source = serve.source();
    REQUIRE(source.send(run_a().text));
  }
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  std::this_thread::sleep_for(600ms);
  serve.source().close();    // nc -z on the source port
  serve.listener().close();  // and on the listener port
  std::this_thread::sleep_for(600ms);
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  judge(listener, run_a());
  CHECK(serve.log().wait_for("session 1: listener 4: MATCH END - OK"));
}

TEST_CASE("serve: a listener-first run after a run whose listener never came gets its own list",
          "[serve][orders]") {
  const bool old_source_open = GENERATE(true, false);
  INFO((old_source_open ? "the abandoned run's source stays open" : "and is closed"));
  RunningServe serve;
  Peer abandoned = serve.source();
  REQUIRE(abandoned.send(run_a().text));
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  if (!old_source_open) {
    abandoned.close();
  }
  std::this_thread::sleep_for(700ms);
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  Peer source = serve.source();
  REQUIRE(source.send(run_b().text));
  judge(listener, run_b());
  INFO(serve.log().text());
  CHECK(serve.log().wait_for("session 2: listener"));
  CHECK(serve.log().wait_for("session 1: its list was never delivered"));
}

TEST_CASE("serve: the listener of a run after one that ended in ERROR gets its own list",
          "[serve][orders]") {
  RunningServe serve;
  {
    Peer listener = serve.listener();
    Peer source = serve.source();
    REQUIRE(source.send(run_a().text));
    REQUIRE(listener.read_size(run_a().expected.size()));
    REQUIRE(listener.send("MATCH END - ERROR\n"));
    CHECK(listener.wait_closed());
  }
  std::this_thread::sleep_for(700ms);
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  Peer source = serve.source();
  REQUIRE(source.send(run_b().text));
  judge(listener, run_b());
}

TEST_CASE("serve: a listener after EVENT END with the source open or half-closed gets its list",
          "[serve][orders]") {
  const bool half_close = GENERATE(false, true);
  RunningServe serve;
  Peer source = serve.source();
  REQUIRE(source.send(run_a().text));
  if (half_close) {
    source.shutdown_write();
  }
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  std::this_thread::sleep_for(1s);
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  judge(listener, run_a());
}

TEST_CASE("serve: a listener that stays open after its list does not take the next run's",
          "[serve][orders]") {
  RunningServe serve;
  Peer first = serve.listener();
  REQUIRE(first.send("MATCH BEGIN\n"));
  {
    Peer source = serve.source();
    REQUIRE(source.send(run_a().text));
    REQUIRE(first.read_size(run_a().expected.size()));
  }
  // The next run, the first listener still open and silent.
  sequential_run(serve, run_b(), 1s);
  CHECK(first.received == run_a().expected);
}

TEST_CASE(
    "serve: a listener that reads only after the verdict bound gets every number and "
    "is heard",
    "[serve][orders]") {
  // The bound once counted from when the list was queued: this listener, which does not read
  // for a second, was closed at 300 ms, its verdict unheard (and, with a list larger than what
  // the kernel buffers, most of its numbers dropped). It counts from when the listener's side
  // took the last number.
  ServeOptions options = RunningServe::listen_options();
  options.hub.verdict_timeout = 300ms;
  RunningServe serve(options);
  const Session run = generated_session(stream_options(200'000, 3, 4));
  // A small receive buffer keeps what the kernel holds for it far below the list.
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int small = 4096;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  const sockaddr_in address = loopback(serve.listener_port());
  REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
  Peer listener(fd);
  REQUIRE(listener.send("MATCH BEGIN\n"));
  Peer source = serve.source();
  REQUIRE(source.send(run.text));
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  std::this_thread::sleep_for(1s);
  REQUIRE(listener.read_size(run.expected.size()));
  CHECK(listener.received == run.expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(serve.log().wait_for("session 1: listener 1: MATCH END - OK after its whole list"));
}

TEST_CASE("serve: a flood of junk lines from a listener is logged within the warning cap",
          "[serve][orders]") {
  RunningServe serve;
  Peer listener = serve.listener();
  std::string junk;
  for (int i = 0; i < 100'000; ++i) {
    junk += "junk\n";
  }
  REQUIRE(listener.send(junk));
  listener.close();
  REQUIRE(serve.log().wait_for("listener 1: 99980 more unexpected lines not shown"));
  const std::vector<std::string> lines = serve.log().lines();
  CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
          return line.find("unexpected line \"") != std::string::npos;
        }) == 20);
}

TEST_CASE("serve: sixteen silent source connections do not keep the next run out",
          "[serve][orders]") {
  RunningServe serve;
  std::vector<Peer> silent;
  for (int i = 0; i < 16; ++i) {
    silent.push_back(serve.source());
  }
  REQUIRE(serve.log().wait_for("source 16 connected"));
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  Peer source = serve.source();
  REQUIRE(source.send(run_a().text));
  judge(listener, run_a());
  CHECK(serve.log().contains("source 1 closed to make room for a new source connection"));
}

}  // namespace
}  // namespace likematch::test
