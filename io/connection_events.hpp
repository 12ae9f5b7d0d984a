#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace likematch::io {

// Chosen by the server, never reused within one server.
using ConnectionId = std::uint64_t;

enum class Role { source, listener };

std::string_view to_string(Role role);

// What the server reports about its connections. The server calls these from its own handlers,
// never from inside send() or close(), so an implementation may call those from here.
class ConnectionEvents {
 public:
  virtual ~ConnectionEvents() = default;

  virtual void source_connected(ConnectionId id, const std::string& peer) = 0;
  virtual void source_bytes(ConnectionId id, std::string_view bytes) = 0;
  // The peer closed, the connection failed, or it was silent too long (`idle`). Not called
  // for a connection closed through Server::close() or Server::stop().
  virtual void source_closed(ConnectionId id, bool idle) = 0;

  virtual void listener_connected(ConnectionId id, const std::string& peer) = 0;
  // One line, without its '\n'.
  virtual void listener_line(ConnectionId id, std::string_view line) = 0;
  virtual void listener_closed(ConnectionId id) = 0;

  // --connect: a port did not accept before the deadline.
  virtual void dial_failed(Role role, const std::string& reason) = 0;
  // Server::stop() began: every connection is about to be closed.
  virtual void stopping() = 0;
};

}  // namespace likematch::io
