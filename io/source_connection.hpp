#pragma once

#include <asio.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "io/connection_events.hpp"

namespace likematch::io {

// One Event Source connection: reads as fast as the peer writes, in large pieces, and hands
// every piece on at once; closes the connection after `idle_timeout` without a byte.
class SourceConnection : public std::enable_shared_from_this<SourceConnection> {
 public:
  // 256 KiB: a 1,000,000-event run (about 25 MB) in about a hundred reads.
  static constexpr std::size_t k_buffer_size = std::size_t{256} << 10;

  struct Callbacks {
    std::function<void(ConnectionId, std::string_view)> on_bytes;
    // Not called after stop().
    std::function<void(ConnectionId, const Closed&)> on_closed;
  };

  SourceConnection(asio::ip::tcp::socket socket, ConnectionId id,
                   std::chrono::milliseconds idle_timeout, Callbacks callbacks);
  SourceConnection(const SourceConnection&) = delete;
  SourceConnection& operator=(const SourceConnection&) = delete;

  void start();
  ConnectionId id() const { return m_id; }
  // Closes without reporting: the owner asked for it.
  void stop();

 private:
  void do_read();
  void arm_idle_timer();
  void end(Closed how);

  asio::ip::tcp::socket m_socket;
  asio::steady_timer m_idle_timer;
  ConnectionId m_id;
  std::chrono::milliseconds m_idle_timeout;
  Callbacks m_callbacks;
  std::unique_ptr<char[]> m_buffer;
  bool m_stopped = false;
};

}  // namespace likematch::io
