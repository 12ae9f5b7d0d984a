#include "io/listener_connection.hpp"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

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
                                      [this](io::ConnectionId id, std::size_t chunks) {
                                        CHECK(id == 7);
                                        written += chunks;
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
  std::size_t written = 0;  // chunks reported written
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

TEST_CASE("listener connection: writes the chunks it is given in order", "[io][listener]") {
  ListenerFixture f;
  std::string expected;
  for (int i = 1; i <= 1000; ++i) {
    const auto chunk = std::make_shared<const std::string>(std::to_string(i) + "\n");
    expected += *chunk;
    f.connection->deliver(chunk);  // all but the first wait for the first write: then one write
  }
  f.connection->deliver(nullptr);
  f.connection->deliver(std::make_shared<const std::string>());
  REQUIRE(f.run_until([&] { return f.peer().received.size() == expected.size(); }));
  CHECK(f.peer().received == expected);
  // Every chunk given, the empty one too, is reported written: the caller counts them.
  REQUIRE(f.run_until([&] { return f.written == 1001; }));
}

TEST_CASE("listener connection: a chunk is reported written only once the socket took it all",
          "[io][listener]") {
  ListenerFixture f;
  // More than the socket buffers of both ends hold: the write cannot complete unread.
  const auto big = std::make_shared<const std::string>(std::size_t{32} << 20, '7');
  f.connection->deliver(std::make_shared<const std::string>("1\n"));
  f.connection->deliver(big);
  f.io.run_for(300ms);
  CHECK(f.written <= 1);
  REQUIRE(f.run_until([&] { return f.peer().received.size() == big->size() + 2; }));
  REQUIRE(f.run_until([&] { return f.written == 2; }));
}

TEST_CASE("listener connections fed the same chunk share it: no copy is made", "[io][listener]") {
  constexpr std::size_t k_listeners = 20;
  asio::io_context io;
  std::vector<SocketPair> pairs;
  std::vector<std::shared_ptr<ListenerConnection>> connections;
  for (std::size_t i = 0; i < k_listeners; ++i) {
    pairs.push_back(connected_pair(io));
    // A fixed send buffer (no autotuning) keeps what the kernel takes far below 1 MiB, so
    // that a write of the chunk to a peer that does not read cannot complete.
    std::error_code ignored;
    pairs.back().ours.set_option(asio::socket_base::send_buffer_size(64 << 10), ignored);
    connections.push_back(std::make_shared<ListenerConnection>(
        std::move(pairs.back().ours), i + 1,
        ListenerConnection::Callbacks{[](io::ConnectionId, std::string_view) {},
                                      [](io::ConnectionId, std::size_t) {},
                                      [](io::ConnectionId, const Closed&) {}}));
    connections.back()->start();
  }
  auto chunk = std::make_shared<const std::string>(std::size_t{1} << 20, 'x');
  for (const auto& connection : connections) {
    connection->deliver(chunk);
    connection->deliver(chunk);
  }
  CHECK(chunk.use_count() == 1 + 2 * k_listeners);
  for (int i = 0; i < 100; ++i) {
    io.poll();
  }
  // Nobody reads: each listener holds its two pointers, one in flight, one queued.
  CHECK(chunk.use_count() == 1 + 2 * k_listeners);

  // Once they read, each gets both copies, and the chunk is let go of.
  const auto all_read = [&] {
    for (const SocketPair& pair : pairs) {
      if (pair.peer.received.size() < 2 * chunk->size()) {
        return false;
      }
    }
    return true;
  };
  REQUIRE(run_until(
      io, [&] { return all_read() && chunk.use_count() == 1; },
      [&] {
        for (SocketPair& pair : pairs) {
          pair.peer.read_ready();
        }
      }));
  for (const SocketPair& pair : pairs) {
    CHECK(pair.peer.received == *chunk + *chunk);
  }
}

TEST_CASE("listener connection: a stopped connection lets go of what it had queued",
          "[io][listener]") {
  ListenerFixture f;
  const auto chunk = std::make_shared<const std::string>(std::size_t{4} << 20, 'x');
  f.connection->deliver(chunk);
  f.connection->deliver(chunk);
  f.connection->stop();
  f.io.run_for(k_wait);  // returns once the aborted write has run
  CHECK(chunk.use_count() == 1);
}

}  // namespace likematch::test
