#include "io/dialer.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>

#include "tests/support/io_loop.hpp"

namespace likematch::test {
namespace {

using Clock = std::chrono::steady_clock;

struct DialResult {
  std::error_code error;
  std::optional<asio::ip::tcp::socket> socket;
  int calls = 0;
};

std::shared_ptr<io::Dialer> dial(asio::io_context& io, std::uint16_t port,
                                 Clock::time_point deadline, DialResult& result) {
  auto dialer =
      std::make_shared<io::Dialer>(io, "127.0.0.1", port, deadline,
                                   [&result](std::error_code error, asio::ip::tcp::socket socket) {
                                     ++result.calls;
                                     result.error = error;
                                     result.socket.emplace(std::move(socket));
                                   });
  dialer->start();
  return dialer;
}

}  // namespace

TEST_CASE("dialer: retries until a listener appears", "[io][dialer]") {
  const std::uint16_t port = unused_port();
  asio::io_context io;
  DialResult result;
  auto dialer = dial(io, port, Clock::now() + k_wait, result);
  // Let it be refused a few times (the pause between tries is 50 ms).
  io.run_for(std::chrono::milliseconds(200));
  REQUIRE(result.calls == 0);
  Listening listening(port);
  REQUIRE(run_until(io, [&] { return result.calls != 0; }));
  CHECK(result.calls == 1);
  CHECK_FALSE(result.error);
  std::error_code error;
  CHECK(result.socket->remote_endpoint(error).port() == port);
  Peer accepted = listening.accept();
  CHECK(accepted.send("hello"));
}

TEST_CASE("dialer: gives up at the deadline with the last error", "[io][dialer]") {
  asio::io_context io;
  DialResult result;
  auto dialer = dial(io, unused_port(), Clock::now() + std::chrono::milliseconds(150), result);
  REQUIRE(run_until(io, [&] { return result.calls != 0; }));
  CHECK(result.error == asio::error::connection_refused);
  CHECK_FALSE(result.socket->is_open());
  io.run_for(k_wait);  // returns once nothing is left: no second call, no retry
  CHECK(result.calls == 1);
}

TEST_CASE("dialer: says nothing once stopped", "[io][dialer]") {
  asio::io_context io;
  DialResult result;
  auto dialer = dial(io, unused_port(), Clock::now() + k_wait, result);
  io.run_for(std::chrono::milliseconds(20));
  dialer->stop();
  io.run_for(k_wait);  // returns once the cancelled operations have run
  CHECK(result.calls == 0);
}

}  // namespace likematch::test
