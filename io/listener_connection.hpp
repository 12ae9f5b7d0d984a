#pragma once

#include <asio.hpp>

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "io/connection_events.hpp"

namespace likematch::io {

// One Event Listener connection: an output queue that never blocks the caller, and a reader
// that hands on the few bytes the listener sends, as they come.
class ListenerConnection : public std::enable_shared_from_this<ListenerConnection> {
 public:
  // A listener this far behind is not reading at all; it is closed rather than let grow.
  static constexpr std::size_t k_max_queued = std::size_t{256} << 20;
  // A listener sends a greeting and a verdict: a few dozen bytes.
  static constexpr std::size_t k_read_size = 4096;

  struct Callbacks {
    std::function<void(ConnectionId, std::string_view)> on_bytes;
    // Not called after stop().
    std::function<void(ConnectionId, const Closed&)> on_closed;
  };

  ListenerConnection(asio::ip::tcp::socket socket, ConnectionId id, Callbacks callbacks);
  ListenerConnection(const ListenerConnection&) = delete;
  ListenerConnection& operator=(const ListenerConnection&) = delete;

  void start();
  // Closes without reporting: the owner asked for it.
  void stop();
  // Queues bytes; everything queued while a write is in flight goes out in the next one.
  void deliver(std::string_view bytes);

 private:
  void do_read();
  void on_read(std::error_code error, std::size_t length);
  void do_write();
  void end(Closed how);

  asio::ip::tcp::socket m_socket;
  ConnectionId m_id;
  Callbacks m_callbacks;
  std::array<char, k_read_size> m_input{};
  std::string m_writing;  // owned by the write in flight
  std::string m_queued;
  bool m_write_in_flight = false;
  bool m_stopped = false;
};

}  // namespace likematch::io
