#include "io/acceptor.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "tests/support/loopback.hpp"

namespace likematch::test {

TEST_CASE("listen_on listens on a port the system chooses", "[io][acceptor]") {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io);
  REQUIRE(io::listen_on(acceptor, asio::ip::address_v4::loopback(), 0) == std::nullopt);
  std::error_code error;
  const std::uint16_t port = acceptor.local_endpoint(error).port();
  REQUIRE(port != 0);
  Peer peer = Peer::connect(port);
  asio::ip::tcp::socket accepted(io);
  acceptor.accept(accepted, error);
  CHECK_FALSE(error);
}

TEST_CASE("listen_on says which step failed, in the system's words, and closes", "[io][acceptor]") {
  Listening taken;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io);
  const auto error = io::listen_on(acceptor, asio::ip::address_v4::loopback(), taken.port());
  CHECK(error == "bind: " + std::make_error_code(std::errc::address_in_use).message());
  CHECK_FALSE(acceptor.is_open());
}

}  // namespace likematch::test
