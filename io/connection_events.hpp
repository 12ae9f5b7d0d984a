#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace likematch::io {

// Chosen by the server, never reused within one server.
using ConnectionId = std::uint64_t;

enum class Role { source, listener };

std::string_view to_string(Role role);

// Why a connection ended, as the transport saw it.
enum class CloseReason {
  peer_closed,  // end of stream from the peer (an orderly close or a half-close)
  failed,       // a read or write error (a reset, ...); `detail` says which
  idle,         // a source silent for ServerOptions::idle_timeout
  displaced,    // a source that had sent nothing, closed to make room for a new one
};

struct Closed {
  CloseReason reason = CloseReason::peer_closed;
  std::string detail;  // failed: the system's words ("Connection reset by peer"); else empty
};

// What the server's log tells beside its connections' own events (HubEvent's counterpart):
// the server words none of it, cli/ does.
struct ServerEvent {
  enum class Kind {
    listening,        // both ports are bound: `address`, `source_port`, `listener_port`;
                      // `loopback`: only this host can reach them
    dialing,          // dial(): connecting to `role`'s port, `port` at `address`
    signal_received,  // `signal` (SIGINT or SIGTERM) came: the server stops
    accept_failed,    // accepting a `role` connection failed with `error`; tried again shortly
    refused,          // a `role` connection from `peer` was closed: `open` are open, the limit
    displaced,        // source `connection`, silent so far, was closed to make room for a new
                      // one from `peer`; `open` sources were open, the limit
  };

  Kind kind = Kind::listening;
  Role role = Role::source;
  std::string address = {};  // listening: the bound address; dialing: the host dialed
  std::uint16_t port = 0;
  std::uint16_t source_port = 0;
  std::uint16_t listener_port = 0;
  bool loopback = true;
  int signal = 0;
  std::string error = {};
  std::string peer = {};
  std::size_t open = 0;
  ConnectionId connection = 0;

  friend bool operator==(const ServerEvent&, const ServerEvent&) = default;
};

// What the server reports about its connections. The server calls these from its own handlers,
// never from inside send() or close(), so an implementation may call those from here.
class ConnectionEvents {
 public:
  virtual ~ConnectionEvents() = default;

  virtual void source_connected(ConnectionId id, const std::string& peer) = 0;
  // Bytes as read, in pieces of any size.
  virtual void source_bytes(ConnectionId id, std::string_view bytes) = 0;
  // The peer closed, the connection failed, or it was silent too long. Not called for a
  // connection closed through Server::close() or Server::stop().
  virtual void source_closed(ConnectionId id, const Closed& how) = 0;

  virtual void listener_connected(ConnectionId id, const std::string& peer) = 0;
  // Bytes as read, in pieces of any size: the listener's lines are the caller's to find.
  virtual void listener_bytes(ConnectionId id, std::string_view bytes) = 0;
  // The next `chunks` chunks given to Server::send() for this listener were written to its
  // socket, in the order they were given.
  virtual void listener_written(ConnectionId id, std::size_t chunks) = 0;
  // As source_closed: not called after Server::close() or Server::stop().
  virtual void listener_closed(ConnectionId id, const Closed& how) = 0;

  // --connect: a port did not accept before the deadline.
  virtual void dial_failed(Role role, const std::string& reason) = 0;
  // Server::stop() began: every connection is about to be closed.
  virtual void stopping() = 0;
  // Something the log tells (see ServerEvent).
  virtual void server_event(const ServerEvent& event) = 0;
};

}  // namespace likematch::io
