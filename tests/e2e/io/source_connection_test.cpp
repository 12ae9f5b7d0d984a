#include "io/source_connection.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/io_loop.hpp"

namespace likematch::test {
namespace {

using io::Closed;
using io::CloseReason;
using io::SourceConnection;

// A SourceConnection (id 3) on one end of a loopback pair, recording what it reports.
struct SourceFixture {
  explicit SourceFixture(std::chrono::milliseconds idle_timeout = {}) {
    connection = std::make_shared<SourceConnection>(
        std::move(pair.ours), 3, idle_timeout,
        SourceConnection::Callbacks{[this](io::ConnectionId id, std::string_view got) {
                                      CHECK(id == 3);
                                      bytes.append(got);
                                    },
                                    [this](io::ConnectionId id, const Closed& how) {
                                      CHECK(id == 3);
                                      CHECK_FALSE(closed.has_value());
                                      closed = how;
                                    }});
    connection->start();
  }

  bool run_until(const std::function<bool()>& done) {
    return test::run_until(io, done, [this] { pair.peer.read_ready(); });
  }

  asio::io_context io;
  SocketPair pair = connected_pair(io);
  std::string bytes;
  std::optional<Closed> closed;
  std::shared_ptr<SourceConnection> connection;
};

}  // namespace

TEST_CASE("source connection: hands on every byte, then peer_closed at end of stream",
          "[io][source]") {
  SourceFixture f;
  std::string stream = "EVENT BEGIN\n";
  // Small enough for the kernel's buffers: this thread writes it all before it reads.
  for (int seq = 1; seq <= 2'000; ++seq) {
    stream += std::to_string(seq) + "|LIKE_LIKED|1|2\n";
  }
  REQUIRE(f.pair.peer.send(stream));
  f.pair.peer.shutdown_write();
  REQUIRE(f.run_until([&] { return f.closed.has_value(); }));
  CHECK(f.bytes == stream);
  CHECK(f.closed->reason == CloseReason::peer_closed);
}

TEST_CASE("source connection: a reset is failed, with the system's words", "[io][source]") {
  SourceFixture f;
  REQUIRE(f.pair.peer.send("1|LIKE"));
  REQUIRE(f.run_until([&] { return f.bytes.size() == 6; }));
  f.pair.peer.reset();
  REQUIRE(f.run_until([&] { return f.closed.has_value(); }));
  CHECK(f.closed->reason == CloseReason::failed);
  CHECK(f.closed->detail == std::make_error_code(std::errc::connection_reset).message());
}

TEST_CASE("source connection: a silent source is closed as idle", "[io][source]") {
  SourceFixture f(std::chrono::milliseconds(50));
  REQUIRE(f.run_until([&] { return f.closed.has_value(); }));
  CHECK(f.closed->reason == CloseReason::idle);
  CHECK(f.pair.peer.wait_closed());
}

TEST_CASE("source connection: reports nothing once stopped", "[io][source]") {
  SourceFixture f(std::chrono::milliseconds(50));
  f.connection->stop();
  CHECK(f.pair.peer.wait_closed());
  f.io.run_for(k_wait);  // returns once the aborted read and timer have run
  CHECK(f.bytes.empty());
  CHECK_FALSE(f.closed);
}

}  // namespace likematch::test
