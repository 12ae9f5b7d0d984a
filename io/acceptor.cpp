#include "io/acceptor.hpp"

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

}  // namespace likematch::io
