#pragma once

#include <asio.hpp>

#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "io/connection_events.hpp"

namespace likematch::io {

// One Event Listener connection: an output queue that never blocks the caller, and a reader
// that hands on the few bytes the listener sends, as they come.
//
// The queue holds the chunks it is given, not copies: many listeners fed the same chunks share
// one copy of them. Nothing bounds the queue here; a listener that never reads is its owner's
// to close.
class ListenerConnection : public std::enable_shared_from_this<ListenerConnection> {
 public:
  // A listener sends a greeting and a verdict: a few dozen bytes.
  static constexpr std::size_t k_read_size = 4096;

  struct Callbacks {
    std::function<void(ConnectionId, std::string_view)> on_bytes;
    // The next `chunks` delivered chunks, in order, were written: the peer's side took them
    // all (acknowledged them), so only the peer's own reading is left; a verdict bound counts
    // from there, not from when they were queued. Not called after stop().
    std::function<void(ConnectionId, std::size_t chunks)> on_written;
    // Not called after stop().
    std::function<void(ConnectionId, const Closed&)> on_closed;
  };

  ListenerConnection(asio::ip::tcp::socket socket, ConnectionId id, Callbacks callbacks);
  ListenerConnection(const ListenerConnection&) = delete;
  ListenerConnection& operator=(const ListenerConnection&) = delete;

  void start();
  ConnectionId id() const { return m_id; }
  // Closes without reporting: the owner asked for it.
  void stop();
  // Queues the chunk itself (kept until written); everything queued while a write is in
  // flight goes out in the next one, a single gather write.
  void deliver(std::shared_ptr<const std::string> bytes);

 private:
  void do_read();
  void on_read(std::error_code error, std::size_t length);
  void do_write();
  void report_written();
  void end(Closed how);

  asio::ip::tcp::socket m_socket;
  ConnectionId m_id;
  Callbacks m_callbacks;
  std::array<char, k_read_size> m_input{};
  // The first m_writing chunks are the write in flight; it keeps them alive until it completes.
  std::deque<std::shared_ptr<const std::string>> m_queue;
  std::size_t m_writing = 0;
  // Chunks whose write completed, not yet reported: the socket's send queue still held bytes
  // the peer had not acknowledged (a peer that does not read leaves them there).
  std::size_t m_unreported = 0;
  asio::steady_timer m_recheck;
  bool m_stopped = false;
};

}  // namespace likematch::io
