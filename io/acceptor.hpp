#pragma once

#include <asio.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace likematch::io {

// Opens `acceptor` on address:port (port 0: the system chooses), binds and listens. A program
// restarted at once must not find its port held by the previous run's connections in
// TIME_WAIT, so the address is reused. std::nullopt, or why not, in the system's words after
// the step that failed ("bind: Address already in use"): the caller names the place. On
// failure the acceptor is closed.
[[nodiscard]] std::optional<std::string> listen_on(asio::ip::tcp::acceptor& acceptor,
                                                   const asio::ip::address& address,
                                                   std::uint16_t port);

// The Event Source's and the Event Listeners' acceptors, opened together by serve and by the
// harness's --listen: `host` is an address or a name ("localhost", resolved here, first
// address), the two ports must differ unless 0, and either both listen or neither does. The
// reason names the port that failed and its role: "cannot listen on 127.0.0.1:9090 (Event
// Source): bind: Address already in use".
struct ListenPair {
  asio::ip::tcp::acceptor& source;
  asio::ip::tcp::acceptor& listener;
};
[[nodiscard]] std::optional<std::string> listen_pair(const ListenPair& acceptors,
                                                     const std::string& host,
                                                     std::uint16_t source_port,
                                                     std::uint16_t listener_port);

// Loopback, including an IPv4 loopback address written as IPv6 (::ffff:127.0.0.1).
bool is_loopback(const asio::ip::address& address);

}  // namespace likematch::io
