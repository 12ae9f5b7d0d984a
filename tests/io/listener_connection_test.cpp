#include "io/listener_connection.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>

#include "tests/support/io_loop.hpp"

namespace likematch::test {
namespace {

using io::Closed;
using io::CloseReason;
using io::ListenerConnection;

// A ListenerConnection (id 7) on one end of a loopback pair, recording what it reports.
struct ListenerFixture {
  ListenerFixture() {
    connection = std::make_shared<ListenerConnection>(
        std::move(pair.ours), 7,
        ListenerConnection::Callbacks{[this](io::ConnectionId id, std::string_view got) {
                                        CHECK(id == 7);
                                        bytes.append(got);
                                        ++reads;
                                      },
                                      [this](io::ConnectionId id, const Closed& how) {
                                        CHECK(id == 7);
                                        CHECK_FALSE(closed.has_value());
                                        closed = how;
                                      }});
    connection->start();
  }

  Peer& peer() { return pair.peer; }
  bool run_until(const std::function<bool()>& done) {
    return test::run_until(io, done, [this] { pair.peer.read_ready(); });
  }

  asio::io_context io;
  SocketPair pair = connected_pair(io);
  std::string bytes;
  int reads = 0;
  std::optional<Closed> closed;
  std::shared_ptr<ListenerConnection> connection;
};

}  // namespace

TEST_CASE("listener connection: hands on the bytes as read, lines or not", "[io][listener]") {
  ListenerFixture f;
  REQUIRE(f.peer().send("MATCH BEGIN\nMATCH EN"));
  REQUIRE(f.run_until([&] { return f.bytes.size() == 20; }));
  CHECK(f.bytes == "MATCH BEGIN\nMATCH EN");

  REQUIRE(f.peer().send("D - OK"));
  REQUIRE(f.run_until([&] { return f.bytes.size() == 26; }));
  CHECK(f.bytes == "MATCH BEGIN\nMATCH END - OK");
  CHECK_FALSE(f.closed);
}

TEST_CASE("listener connection: a long line is only bytes to it", "[io][listener]") {
  ListenerFixture f;
  const std::string runaway(3 * ListenerConnection::k_read_size + 5, '7');
  REQUIRE(f.peer().send(runaway));
  REQUIRE(f.run_until([&] { return f.bytes.size() == runaway.size(); }));
  CHECK(f.bytes == runaway);
  CHECK(f.reads >= 4);  // in pieces of at most k_read_size
  CHECK_FALSE(f.closed);
}

TEST_CASE("listener connection: end of stream is peer_closed, after the last bytes",
          "[io][listener]") {
  ListenerFixture f;
  REQUIRE(f.peer().send("MATCH END - OK"));
  f.peer().shutdown_write();
  REQUIRE(f.run_until([&] { return f.closed.has_value(); }));
  CHECK(f.bytes == "MATCH END - OK");
  CHECK(f.closed->reason == CloseReason::peer_closed);
  CHECK(f.closed->detail.empty());
  // The connection closes its side too.
  CHECK(f.peer().wait_closed());
}

TEST_CASE("listener connection: a reset is failed, with the system's words", "[io][listener]") {
  ListenerFixture f;
  f.peer().reset();
  REQUIRE(f.run_until([&] { return f.closed.has_value(); }));
  CHECK(f.closed->reason == CloseReason::failed);
  CHECK(f.closed->detail == std::make_error_code(std::errc::connection_reset).message());
}

TEST_CASE("listener connection: reports nothing once stopped", "[io][listener]") {
  ListenerFixture f;
  f.connection->stop();
  CHECK(f.peer().wait_closed());
  // The aborted read is the last handler: run() returns once it has run, and reports nothing.
  f.io.run_for(k_wait);
  CHECK(f.bytes.empty());
  CHECK_FALSE(f.closed);
}

}  // namespace likematch::test
