#include "io/endpoint.hpp"

#include <catch2/catch.hpp>

using likematch::io::format_endpoint;

TEST_CASE("an IPv4 endpoint is address:port", "[io][endpoint]") {
  CHECK(format_endpoint(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 9090)) ==
        "127.0.0.1:9090");
  CHECK(format_endpoint(asio::ip::tcp::endpoint(asio::ip::address_v4::any(), 0)) == "0.0.0.0:0");
}

TEST_CASE("an IPv6 endpoint puts its address in brackets", "[io][endpoint]") {
  CHECK(format_endpoint(asio::ip::tcp::endpoint(asio::ip::address_v6::loopback(), 9099)) ==
        "[::1]:9099");
  CHECK(format_endpoint(asio::ip::tcp::endpoint(asio::ip::address_v6::any(), 30790)) ==
        "[::]:30790");
}

TEST_CASE("a host as given is bracketed only when it holds a colon", "[io][endpoint]") {
  CHECK(format_endpoint("localhost", 9090) == "localhost:9090");
  CHECK(format_endpoint("127.0.0.1", 9099) == "127.0.0.1:9099");
  CHECK(format_endpoint("::1", 9099) == "[::1]:9099");
  CHECK(format_endpoint("::", 9090) == "[::]:9090");
  CHECK(format_endpoint("[::1]", 9099) == "[::1]:9099");  // already bracketed
}
