// `likematch serve` end to end over loopback: the ServeInstance of cli/serve.cpp in a thread,
// test-side sockets playing the challenge's harness.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "cli/exit_status.hpp"
#include "core/harness/generator.hpp"
#include "tests/support/challenge_example.hpp"
#include "tests/support/running_serve.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {
namespace {

constexpr std::string_view k_example = k_challenge_example;

TEST_CASE("serve: a listener connected before the source gets the matches", "[serve]") {
  RunningServe serve;
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(serve.log().wait_for("listener 1: MATCH BEGIN"));
  Peer source = serve.source();
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  REQUIRE(listener.send("MATCH END - OK\n"));
  // The verdict ends the listener's part: the server closes it.
  CHECK(listener.wait_closed());
  CHECK(listener.received == "4\n7\n");
  CHECK(serve.log().wait_for("verdict MATCH END - OK"));
}

// A serve whose listener, connected before the source, has read the example's two matches.
class ExampleServed {
 protected:
  ExampleServed() {
    REQUIRE(source.send(k_example));
    REQUIRE(listener.read_size(4));
  }

  RunningServe serve;
  Peer listener = serve.listener();
  Peer source = serve.source();
};

TEST_CASE_METHOD(ExampleServed,
                 "serve: a verdict without its newline, then the close, still counts", "[serve]") {
  REQUIRE(listener.send("MATCH END - OK"));
  listener.close();
  CHECK(serve.log().wait_for("verdict MATCH END - OK"));
}

TEST_CASE_METHOD(ExampleServed, "serve: a verdict split across writes is one line", "[serve]") {
  REQUIRE(listener.send("MATCH E"));
  REQUIRE(listener.send("ND - O"));
  REQUIRE(listener.send("K\r\n"));
  CHECK(listener.wait_closed());
  CHECK(serve.log().wait_for("verdict MATCH END - OK"));
}

TEST_CASE("serve: a listener connecting during the session gets the list from the start",
          "[serve]") {
  RunningServe serve;
  Peer source = serve.source();
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n"));
  REQUIRE(serve.log().wait_for("session 1 begins"));
  Peer listener = serve.listener();
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "2\n");
  REQUIRE(source.send("3|LIKE_LIKED|1|2\nEVENT END\n"));
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "2\n3\n");
}

TEST_CASE("serve: a listener connecting after EVENT END gets the whole list", "[serve]") {
  RunningServe serve;
  Peer source = serve.source();
  REQUIRE(source.send(k_example));
  REQUIRE(serve.log().wait_for("waiting for a listener"));
  Peer listener = serve.listener();
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
}

TEST_CASE("serve: one-byte writes with CRLF line ends give the same list", "[serve]") {
  RunningServe serve;
  Peer listener = serve.listener();
  Peer source = serve.source();
  const std::string crlf = with_crlf(k_example);
  for (char c : crlf) {
    REQUIRE(source.send(std::string_view(&c, 1)));
  }
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  CHECK(serve.log().wait_for("session 1 input ended (EVENT END)"));
  CHECK_FALSE(serve.log().contains("malformed"));
}

TEST_CASE("serve: two runs in a row against one server, each with a fresh session", "[serve]") {
  RunningServe serve;
  for (std::uint64_t seed : {1, 2}) {
    const Session run = generated_session(stream_options(20'000, 200, seed));
    Peer listener = serve.listener();
    REQUIRE(listener.send("MATCH BEGIN\n"));
    Peer source = serve.source();
    REQUIRE(source.send(run.text));
    REQUIRE(listener.read_size(run.expected.size()));
    CHECK(listener.received == run.expected);
    REQUIRE(listener.send("MATCH END - OK\n"));
    CHECK(listener.wait_closed());
    REQUIRE(serve.log().wait_for(fmt::format("session {} (EVENT END)", seed)));
  }
  CHECK(serve.log().contains("session 2 (EVENT END): 20000 events"));
}

TEST_CASE("serve: a second source is refused while a session runs", "[serve]") {
  RunningServe serve;
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send("EVENT BEGIN\n2|LIKE_LIKED|2|1\n"));
  REQUIRE(serve.log().wait_for("session 1 begins"));
  Peer stray = serve.source();
  REQUIRE(stray.send("EVENT BEGIN\n1|LIKE_LIKED|9|9\n"));
  CHECK(stray.wait_closed());
  CHECK(serve.log().contains("refused: session 1 is running"));
  REQUIRE(source.send("1|LIKE_LIKED|1|2\nEVENT END\n"));
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "2\n");
}

TEST_CASE("serve: a silent source is closed after the idle timeout and its session ends",
          "[serve]") {
  ServeOptions options = RunningServe::listen_options();
  options.server.idle_timeout = 200ms;
  RunningServe serve(options);
  Peer listener = serve.listener();
  Peer source = serve.source();
  // 3 is missing and EVENT END never comes: 4 is decided when the session ends.
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|7|8\n4|LIKE_LIKED|2|1\n"));
  CHECK(source.wait_closed());
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "4\n");
  CHECK(serve.log().wait_for("session 1 input ended (source idle, closed)"));
}

TEST_CASE("serve: a listener leaving midway costs nothing, another gets the full list", "[serve]") {
  // Shuffled only locally, so that matches flow from the first half on.
  const Session run =
      generated_session(stream_options(50'000, 300, 7, Shuffle{ShuffleKind::window, 100}));
  REQUIRE(run.expected.size() > 100);
  RunningServe serve;
  Peer leaving = serve.listener();
  Peer staying = serve.listener();
  Peer source = serve.source();
  const std::size_t half = run.text.size() / 2;
  REQUIRE(source.send(std::string_view(run.text).substr(0, half)));
  REQUIRE(leaving.read_size(1));
  leaving.close();
  REQUIRE(serve.log().wait_for("closed its connection without a verdict"));
  REQUIRE(source.send(std::string_view(run.text).substr(half)));
  REQUIRE(staying.read_size(run.expected.size()));
  CHECK(staying.received == run.expected);
}

TEST_CASE("serve: a listener that never reads does not hold up the source or the others",
          "[serve]") {
  // Few users: about a third of the events are matches, far more than a socket buffer holds.
  const Session run =
      generated_session(stream_options(300'000, 10, 5, Shuffle{ShuffleKind::window, 100}));
  REQUIRE(run.expected.size() > 500'000);
  RunningServe serve;
  Peer stalled = serve.listener();
  Peer reading = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(run.text));
  REQUIRE(reading.read_size(run.expected.size()));
  CHECK(reading.received == run.expected);
  CHECK(serve.log().wait_for("session 1 input ended (EVENT END): 300000 events"));
  CHECK(stalled.received.empty());
}

TEST_CASE("serve: a silent source connection is closed after the idle timeout", "[serve]") {
  ServeOptions options = RunningServe::listen_options();
  options.server.idle_timeout = 200ms;
  RunningServe serve(options);
  Peer silent = serve.source();
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  CHECK(silent.wait_closed());
  CHECK(serve.log().wait_for("silent for 0.2 s, closed"));  // in the unit the option takes
}

TEST_CASE("serve: a listener that sends no verdict in time is said once, in seconds", "[serve]") {
  ServeOptions options = RunningServe::listen_options();
  options.hub.verdict_timeout = 200ms;
  RunningServe serve(options);
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  CHECK(listener.wait_closed());
  REQUIRE(serve.log().wait_for("no verdict"));
  CHECK(serve.log().contains(
      "sent no verdict within 0.2 s, closed after its whole list (2 numbers) written"));
  std::size_t lines = 0;
  for (const std::string& line : serve.log().lines()) {
    lines += line.find("no verdict") != std::string::npos ? 1 : 0;
  }
  CHECK(lines == 1);
}

TEST_CASE("serve: a source closing without EVENT END still gets its matches out", "[serve]") {
  RunningServe serve;
  Peer listener = serve.listener();
  Peer source = serve.source();
  std::string events(
      k_example.substr(0, k_example.size() - std::string_view("EVENT END\n").size()));
  REQUIRE(source.send(events));
  source.close();
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  CHECK(serve.log().wait_for("session 1 input ended (source closed without EVENT END)"));
}

TEST_CASE("serve: a source closing before any valid line is dropped", "[serve]") {
  RunningServe serve;
  Peer listener = serve.listener();
  {
    Peer probe = serve.source();
    REQUIRE(probe.send("GET / HTTP/1.0\r\n\r\n"));
  }
  REQUIRE(serve.log().wait_for("before any valid line, dropped"));
  Peer source = serve.source();
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  CHECK(serve.log().contains("session 1 begins"));
}

TEST_CASE("serve: both rules, with and without once, give the reference list", "[serve]") {
  for (const Rule rule : {Rule::ever, Rule::latest}) {
    for (const bool once : {false, true}) {
      const MatchRules rules{rule, once};
      const Session run = generated_session(stream_options(30'000, 100, 3), rules);
      ServeOptions options = RunningServe::listen_options();
      options.hub.engine.rules = rules;
      RunningServe serve(options);
      Peer listener = serve.listener();
      Peer source = serve.source();
      REQUIRE(source.send(run.text));
      REQUIRE(serve.log().wait_for("input ended"));
      REQUIRE(listener.read_size(run.expected.size()));
      CHECK(listener.received == run.expected);
    }
  }
}

TEST_CASE("serve: a 1,000,000-event session ends in MATCH END - OK", "[serve][large]") {
  const Session run = generated_session(stream_options(1'000'000, 9'000, 1));
  RunningServe serve;
  Peer listener = serve.listener();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  Peer source = serve.source();
  REQUIRE(source.send(run.text));
  REQUIRE(listener.read_size(run.expected.size()));
  CHECK(listener.received == run.expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(serve.log().wait_for("session 1 (EVENT END): 1000000 events"));
  CHECK(serve.log().contains("verdict MATCH END - OK"));
}

TEST_CASE("serve: stopping during a session logs it as cut", "[serve]") {
  RunningServe serve;
  Peer source = serve.source();
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n"));
  REQUIRE(serve.log().wait_for("session 1 begins"));
  CHECK(serve.stop() == 0);
  CHECK(serve.log().contains("session 1 (cut by shutdown): 1 event,"));
  CHECK(source.wait_closed());
}

ServeOptions connect_options(std::uint16_t source_port, std::uint16_t listener_port) {
  ServeOptions options;
  options.connect_host = "127.0.0.1";
  options.server.source_port = source_port;
  options.server.listener_port = listener_port;
  return options;
}
ServeOptions connect_options(const Listening& source_side, const Listening& listener_side) {
  return connect_options(source_side.port(), listener_side.port());
}

// serve --connect to an open source port and a listener port nothing listens on yet: the
// harness may open it late, as the real image may after EVENT END.
class ListenerPortLate {
 protected:
  // Opens the listener port after `delay`; the listener gets the example's matches and says OK.
  void open_listener_port_after(std::chrono::milliseconds delay) {
    std::this_thread::sleep_for(delay);
    Listening listener_side(listener_port);
    Peer listener = listener_side.accept();
    REQUIRE(listener.send("MATCH BEGIN\n"));
    REQUIRE(listener.read_size(4));
    CHECK(listener.received == "4\n7\n");
    REQUIRE(listener.send("MATCH END - OK\n"));
    CHECK(serve.join() == 0);
  }

  Listening source_side;
  std::uint16_t listener_port = unused_port();
  RunningServe serve{connect_options(source_side.port(), listener_port)};
};

TEST_CASE("serve --connect: dials the harness, runs one session and exits 0 on OK",
          "[serve][connect]") {
  const Session run = generated_session(stream_options(20'000, 200, 11));
  Listening source_side;
  Listening listener_side;
  RunningServe serve(connect_options(source_side, listener_side));
  Peer source = source_side.accept();
  Peer listener = listener_side.accept();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(source.send(run.text));
  REQUIRE(listener.read_size(run.expected.size()));
  CHECK(listener.received == run.expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(serve.join() == 0);
  CHECK(serve.output() == "MATCH END - OK\n");
  // It dialed: the log says where to, not "from".
  CHECK(serve.log().contains(fmt::format("connected to 127.0.0.1:{}", source_side.port())));
  CHECK(serve.log().contains(fmt::format("connected to 127.0.0.1:{}", listener_side.port())));
  CHECK_FALSE(serve.log().contains("connected from"));
}

TEST_CASE("serve --connect: exits 1 when the listener answers MATCH END - ERROR",
          "[serve][connect]") {
  Listening source_side;
  Listening listener_side;
  RunningServe serve(connect_options(source_side, listener_side));
  Peer source = source_side.accept();
  Peer listener = listener_side.accept();
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  REQUIRE(listener.send("MATCH END - ERROR\n"));
  CHECK(serve.join() == 1);
  CHECK(serve.output() == "MATCH END - ERROR\n");
}

TEST_CASE_METHOD(ListenerPortLate, "serve --connect: keeps dialing until a port opens late",
                 "[serve][connect]") {
  Peer source = source_side.accept();
  REQUIRE(source.send(k_example));
  REQUIRE(serve.log().wait_for("waiting for a listener"));
  open_listener_port_after(100ms);
}

TEST_CASE("serve --connect: exits as harness does without a verdict when the listener closes",
          "[serve][connect]") {
  Listening source_side;
  Listening listener_side;
  RunningServe serve(connect_options(source_side, listener_side));
  Peer source = source_side.accept();
  Peer listener = listener_side.accept();
  // It spoke: a listener, not a port forwarder's accept-then-close (which is dialed again).
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(source.send(k_example));
  REQUIRE(listener.read_size(4));
  listener.close();
  CHECK(serve.join() == cli::k_exit_no_verdict);
  CHECK(serve.log().contains("the Event Listener left without a verdict"));
}

TEST_CASE("serve --connect: exits as harness does without a verdict when a port never accepts",
          "[serve][connect]") {
  Listening source_side;
  ServeOptions options = connect_options(source_side.port(), unused_port());
  options.connect_timeout = 300ms;
  RunningServe serve(options);
  CHECK(serve.join() == cli::k_exit_no_verdict);
  CHECK(serve.log().contains("cannot connect to 127.0.0.1:"));
}

// A port forwarder accepts before the service behind it is up, and closes at once.
TEST_CASE("serve --connect: a port that accepts and closes without a word is dialed again",
          "[serve][connect]") {
  Listening source_side;
  Listening listener_side;
  RunningServe serve(connect_options(source_side, listener_side));
  source_side.accept().close();
  listener_side.accept().close();
  source_side.accept().close();
  Peer source = source_side.accept();
  REQUIRE(source.send(k_example));
  listener_side.accept().close();
  Peer listener = listener_side.accept();
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(listener.read_size(4));
  CHECK(listener.received == "4\n7\n");
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(serve.join() == 0);
  CHECK(serve.output() == "MATCH END - OK\n");
}

TEST_CASE("serve --connect: a source port that only accepts and closes fails at the timeout",
          "[serve][connect]") {
  Listening source_side;
  Listening listener_side;
  ServeOptions options = connect_options(source_side, listener_side);
  options.connect_timeout = 1s;
  RunningServe serve(options);
  std::thread closer([&] {
    try {
      while (true) {
        source_side.accept(2s).close();
      }
    } catch (const std::exception&) {
      // Nothing dialed for 2 s: serve gave up.
    }
  });
  CHECK(serve.join() == cli::k_exit_no_verdict);
  closer.join();
  CHECK(serve.log().contains("the Event Source's port accepted connections but closed each one"));
}

TEST_CASE_METHOD(ListenerPortLate,
                 "serve --connect: dials the listener port opened 2 s after the source closed",
                 "[serve][connect]") {
  {
    Peer source = source_side.accept();
    REQUIRE(source.send(k_example));
  }
  REQUIRE(serve.log().wait_for("session 1 input ended"));
  open_listener_port_after(2s);
}

}  // namespace
}  // namespace likematch::test
