#include "io/acceptor.hpp"

#include <fmt/format.h>

#include <tuple>

#include "io/endpoint.hpp"

namespace likematch::io {

std::optional<std::string> listen_on(asio::ip::tcp::acceptor& acceptor,
                                     const asio::ip::address& address, std::uint16_t port) {
  const asio::ip::tcp::endpoint endpoint(address, port);
  std::error_code error;
  const char* step = "open";
  acceptor.open(endpoint.protocol(), error);
  if (!error) {
    step = "set_option";
    acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), error);
  }
  if (!error) {
    step = "bind";
    acceptor.bind(endpoint, error);
  }
  if (!error) {
    step = "listen";
    acceptor.listen(asio::socket_base::max_listen_connections, error);
  }
  if (!error) {
    return std::nullopt;
  }
  std::error_code ignored;
  acceptor.close(ignored);
  return std::string(step) + ": " + error.message();
}

std::optional<std::string> listen_pair(asio::ip::tcp::acceptor& source,
                                       asio::ip::tcp::acceptor& listener, const std::string& bind,
                                       std::uint16_t source_port, std::uint16_t listener_port) {
  std::error_code error;
  const asio::ip::address address = asio::ip::make_address(bind, error);
  if (error) {
    return fmt::format("cannot listen on {}: not an IP address", bind);
  }
  if (source_port != 0 && source_port == listener_port) {
    return fmt::format(
        "cannot listen on {} for both the Event Source and the Event Listener: they need two "
        "ports",
        format_endpoint(bind, source_port));
  }
  for (const auto& [acceptor, port, role] :
       {std::tuple{&source, source_port, "the Event Source's port"},
        std::tuple{&listener, listener_port, "the Event Listener's port"}}) {
    if (auto why = listen_on(*acceptor, address, port)) {
      std::error_code ignored;
      source.close(ignored);
      listener.close(ignored);
      return fmt::format("cannot listen on {} ({}): {}", format_endpoint(bind, port), role, *why);
    }
  }
  return std::nullopt;
}

}  // namespace likematch::io
