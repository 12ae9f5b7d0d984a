// Faults and load against `likematch serve` over loopback: clients that stall, vanish, hang or
// reset, while a correct session runs alongside and loses nothing.
#include <dirent.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/harness/generator.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {
namespace {

std::size_t open_descriptors() {
  std::size_t count = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (::readdir(dir) != nullptr) {
      ++count;
    }
    ::closedir(dir);
  }
  return count;
}

// Waits, boundedly, for the descriptor count to come back down to `baseline`.
std::size_t settled_descriptors(std::size_t baseline) {
  const auto deadline = std::chrono::steady_clock::now() + k_wait;
  std::size_t count = open_descriptors();
  while (count > baseline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
    count = open_descriptors();
  }
  return count;
}

enum class Misbehaviour { vanish, half_close, partial_line_hang, reset_mid_line };

// One client doing one thing wrong, then gone.
void misbehave(std::uint16_t port, Misbehaviour how) {
  Peer peer = Peer::connect(port);
  switch (how) {
    case Misbehaviour::vanish:
      break;
    case Misbehaviour::half_close:
      peer.send("EVENT BEG");
      peer.shutdown_write();
      peer.wait_closed();
      break;
    case Misbehaviour::partial_line_hang:
      peer.send("1|LIKE_LI");
      // It hangs until the server has seen it; then it goes.
      std::this_thread::sleep_for(1ms);
      break;
    case Misbehaviour::reset_mid_line:
      peer.send("MATCH EN");
      peer.reset();
      break;
  }
}

TEST_CASE("1,000 clients that vanish, half-close, hang or reset leak nothing and cost nothing",
          "[faults]") {
  const Session session = generated_session(stream_options(100'000, 100, 21));
  RunningServe serve;
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(serve.log().wait_for("listener 1: MATCH BEGIN"));
  Peer source = serve.source();
  REQUIRE(serve.log().wait_for("source 2 connected"));
  const std::size_t baseline = open_descriptors();

  const std::string_view events = session.text;
  const std::size_t piece = events.size() / 100 + 1;
  std::size_t sent = 0;
  for (int i = 0; i < 1'000; ++i) {
    const auto how = static_cast<Misbehaviour>(i % 4);
    misbehave((i / 4) % 2 == 0 ? serve.source_port() : serve.listener_port(), how);
    if (i % 10 == 0 && sent < events.size()) {
      REQUIRE(source.send(events.substr(sent, piece)));
      sent += std::min(piece, events.size() - sent);
    }
  }
  REQUIRE(source.send(events.substr(sent)));
  REQUIRE(listener.read_size(session.expected.size()));
  CHECK(listener.received == session.expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(listener.wait_closed());
  CHECK(serve.log().wait_for("session 1 (EVENT END): 100000 events"));
  // Each misbehaving listener was attached and left without a verdict; the good one's counts.
  CHECK(serve.log().contains("session 1: listener 1: MATCH END - OK"));
  // With the good pair gone too (both ends of both connections), four fewer than before.
  source.close();
  listener.close();
  CHECK(settled_descriptors(baseline - 4) == baseline - 4);
}

TEST_CASE("a listener that never reads is served once it reads, after ingestion finished",
          "[faults]") {
  // Few users: about a third of the events match, far more than socket buffers hold.
  const Session session = generated_session(stream_options(300'000, 10, 22));
  REQUIRE(session.expected.size() > 500'000);
  RunningServe serve;
  Peer stalled = serve.listener();
  REQUIRE(serve.log().wait_for("listener 1 connected"));
  Peer source = serve.source();
  REQUIRE(source.send(session.text));
  CHECK(serve.log().wait_for("session 1 input ended (EVENT END): 300000 events"));
  CHECK(stalled.received.empty());
  REQUIRE(stalled.read_size(session.expected.size()));
  CHECK(stalled.received == session.expected);
  REQUIRE(stalled.send("MATCH END - OK\n"));
  CHECK(serve.log().wait_for("verdict MATCH END - OK"));
}

TEST_CASE(
    "an endless line is cut at the line limit, from a source before its session or a "
    "listener",
    "[faults]") {
  RunningServe serve;
  Peer listener = serve.listener();
  REQUIRE(serve.log().wait_for("listener 1 connected"));
  Peer rambler = serve.listener();
  // A listener's line longer than 4 KiB breaks the framing: it is closed.
  REQUIRE(rambler.send(std::string(64 << 10, 'y')));
  CHECK(rambler.wait_closed());
  CHECK(
      serve.log().wait_for("listener 2 sent a line longer than 4096 bytes, closed before any "
                           "session"));
  // Said once.
  std::size_t lines = 0;
  for (const std::string& line : serve.log().lines()) {
    lines += line.find("longer than 4096") != std::string::npos ? 1 : 0;
  }
  CHECK(lines == 1);
  Peer source = serve.source();
  // Before its session, a source's overlong line is dropped as it comes, not kept.
  REQUIRE(source.send(std::string(test::k_huge_line_size, 'x')));
  REQUIRE(source.send("\nEVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n"));
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "2\n");
  CHECK(serve.log().wait_for("session 1 input ended (EVENT END): 2 events, 1 match"));
}

}  // namespace
}  // namespace likematch::test
