#pragma once

// Server's options apart from Server, without Asio: what cli/ sets and passes on.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/ports.hpp"

namespace likematch::io {

struct ServerOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t source_port = k_source_port;  // 0: let the system choose (tests)
  std::uint16_t listener_port = k_listener_port;
  std::chrono::milliseconds idle_timeout{30'000};  // 0: never
  bool handle_signals = false;                     // SIGINT and SIGTERM call stop()
  // Connections past these are closed at once, with a logged reason: a flood of connections
  // must not use up the process's descriptors.
  std::size_t max_listeners = 64;
  // The session's source, new sources, ended sources still open. At the limit a new source
  // connection takes the place of the oldest one that has sent nothing (a connection that sends
  // nothing changes nothing); only with none such is it refused.
  std::size_t max_sources = 16;
};

}  // namespace likematch::io
