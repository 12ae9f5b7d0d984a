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

std::optional<std::string> listen_pair(const ListenPair& acceptors, const std::string& host,
                                       std::uint16_t source_port, std::uint16_t listener_port) {
  if (source_port != 0 && source_port == listener_port) {
    return fmt::format(
        "cannot listen: the Event Source and the Event Listeners cannot share port {}",
        source_port);
  }
  std::error_code error;
  asio::ip::address address = asio::ip::make_address(host, error);
  if (error) {
    asio::ip::tcp::resolver resolver(acceptors.source.get_executor());
    const auto found = resolver.resolve(host, "", error);
    if (error || found.empty()) {
      return fmt::format("cannot listen on {}: not an address, nor a name that resolves ({})", host,
                         error ? error.message() : "no address");
    }
    address = found.begin()->endpoint().address();
  }
  for (auto [acceptor, port, role] :
       {std::tuple{&acceptors.source, source_port, "Event Source"},
        std::tuple{&acceptors.listener, listener_port, "Event Listeners"}}) {
    if (auto why = listen_on(*acceptor, address, port)) {
      std::error_code ignored;
      acceptors.source.close(ignored);
      acceptors.listener.close(ignored);
      return fmt::format("cannot listen on {} ({}): {}", format_endpoint(host, port), role, *why);
    }
  }
  return std::nullopt;
}

bool is_loopback(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
  }
  return address.is_loopback();
}

}  // namespace likematch::io
