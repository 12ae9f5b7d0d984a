// The connection limits of `likematch serve`: one connection past --max-listeners or
// --max-sources is refused with a logged reason, and the server keeps serving.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/running_serve.hpp"

namespace likematch::test {
namespace {

constexpr std::string_view k_session =
    "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n";

TEST_CASE("serve refuses a listener past --max-listeners and serves the others", "[limits]") {
  ServeOptions options = RunningServe::listen_options();
  options.server.max_listeners = 2;
  RunningServe serve(options);
  Peer first = serve.listener();
  Peer second = serve.listener();
  REQUIRE(serve.log().wait_for("listener 2 connected"));
  Peer third = serve.listener();
  CHECK(third.wait_closed());
  CHECK(serve.log().wait_for("listener connection from 127.0.0.1:"));
  CHECK(serve.log().contains("refused: 2 already open (--max-listeners)"));
  // A place that frees up is taken again.
  first.close();
  REQUIRE(serve.log().wait_for("listener 1 closed"));
  Peer fourth = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(k_session));
  REQUIRE(second.read_size(2));
  REQUIRE(fourth.read_size(2));
  CHECK(second.received == "2\n");
  CHECK(fourth.received == "2\n");
  CHECK(third.received.empty());
}

TEST_CASE("serve refuses a source past --max-sources when every open one has spoken", "[limits]") {
  ServeOptions options = RunningServe::listen_options();
  options.server.max_sources = 3;
  RunningServe serve(options);
  // A bad line each: not silent (a silent one would give its place to a new connection).
  std::vector<Peer> silent;
  for (int i = 1; i <= 3; ++i) {
    silent.push_back(serve.source());
    REQUIRE(silent.back().send("x\n"));
    REQUIRE(serve.log().wait_for(fmt::format("source {} line 1", i)));
  }
  for (int i = 0; i < 5; ++i) {
    Peer refused = serve.source();
    CHECK(refused.wait_closed());
  }
  CHECK(serve.log().contains("refused: 3 already open (--max-sources)"));
  // One of them leaves: the real source gets its place and its session runs.
  silent.front().close();
  REQUIRE(serve.log().wait_for("source 1 closed before any valid line, dropped"));
  Peer listener = serve.listener();
  Peer source = serve.source();
  REQUIRE(source.send(k_session));
  REQUIRE(listener.read_size(2));
  CHECK(listener.received == "2\n");
}

}  // namespace
}  // namespace likematch::test
