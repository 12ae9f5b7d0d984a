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

}  // namespace likematch::io
