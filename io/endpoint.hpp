#pragma once

#include <asio.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace likematch::io {

// "127.0.0.1:9090", "[::1]:9099": an IPv6 address goes in brackets, so that the port stands
// apart from the address's own colons. Every host:port that io writes goes through these.
std::string format_endpoint(const asio::ip::tcp::endpoint& endpoint);
// The same for a host as given (a name, or an address in text): bracketed when it holds a ':'.
std::string format_endpoint(std::string_view host, std::uint16_t port);

}  // namespace likematch::io
