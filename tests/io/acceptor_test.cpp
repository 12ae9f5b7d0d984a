#include "io/acceptor.hpp"

#include <catch2/catch.hpp>

using likematch::io::is_loopback;

TEST_CASE("an IPv4 loopback address written as IPv6 is loopback", "[io][acceptor]") {
  CHECK(is_loopback(asio::ip::make_address("::ffff:127.0.0.1")));
  CHECK(is_loopback(asio::ip::make_address("::ffff:127.1.2.3")));
  CHECK(is_loopback(asio::ip::make_address("127.0.0.1")));
  CHECK(is_loopback(asio::ip::make_address("::1")));
  CHECK_FALSE(is_loopback(asio::ip::make_address("::ffff:10.0.0.1")));
  CHECK_FALSE(is_loopback(asio::ip::make_address("0.0.0.0")));
  CHECK_FALSE(is_loopback(asio::ip::make_address("::")));
}
