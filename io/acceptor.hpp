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

// Opens the two acceptors of `likematch serve` or of the harness in listen mode, the Event
// Source's and the Event Listener's, on `bind`. std::nullopt, or why not, naming the port that
// failed ("cannot listen on 127.0.0.1:9099 (the Event Listener's port): bind: Address already
// in use", "cannot listen on localhost: not an IP address"); the same port for both is
// refused by its number, before the system would say "Address already in use". On failure
// both acceptors are closed.
[[nodiscard]] std::optional<std::string> listen_pair(asio::ip::tcp::acceptor& source,
                                                     asio::ip::tcp::acceptor& listener,
                                                     const std::string& bind,
                                                     std::uint16_t source_port,
                                                     std::uint16_t listener_port);

}  // namespace likematch::io
