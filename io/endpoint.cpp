#include "io/endpoint.hpp"

#include <fmt/format.h>

namespace likematch::io {

std::string format_endpoint(const asio::ip::tcp::endpoint& endpoint) {
  return format_endpoint(endpoint.address().to_string(), endpoint.port());
}

std::string format_endpoint(std::string_view host, std::uint16_t port) {
  const bool bracket = host.find(':') != std::string_view::npos && !host.starts_with('[');
  return bracket ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

}  // namespace likematch::io
