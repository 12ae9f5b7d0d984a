#include "io/source_connection.hpp"

#include <string>
#include <utility>

namespace likematch::io {

SourceConnection::SourceConnection(asio::ip::tcp::socket socket, ConnectionId id,
                                   std::chrono::milliseconds idle_timeout, Callbacks callbacks)
    : m_socket(std::move(socket)),
      m_idle_timer(m_socket.get_executor()),
      m_id(id),
      m_idle_timeout(idle_timeout),
      m_callbacks(std::move(callbacks)),
      m_buffer(new char[k_buffer_size]) {}

void SourceConnection::start() {
  arm_idle_timer();
  do_read();
}

void SourceConnection::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  std::error_code ignored;
  m_socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  m_socket.close(ignored);
  m_idle_timer.cancel();
}

void SourceConnection::end(Closed how) {
  if (m_stopped) {
    return;
  }
  stop();
  m_callbacks.on_closed(m_id, how);
}

void SourceConnection::do_read() {
  m_socket.async_read_some(asio::buffer(m_buffer.get(), k_buffer_size),
                           [self = shared_from_this()](std::error_code error, std::size_t length) {
                             if (error == asio::error::operation_aborted || self->m_stopped) {
                               return;
                             }
                             if (error == asio::error::eof) {
                               self->end(Closed{CloseReason::peer_closed, {}});
                               return;
                             }
                             if (error) {
                               self->end(Closed{CloseReason::failed, error.message()});
                               return;
                             }
                             self->arm_idle_timer();
                             self->m_callbacks.on_bytes(
                                 self->m_id, std::string_view(self->m_buffer.get(), length));
                             // on_bytes may have closed this connection (a refused source).
                             if (!self->m_stopped) {
                               self->do_read();
                             }
                           });
}

void SourceConnection::arm_idle_timer() {
  if (m_idle_timeout.count() <= 0) {
    return;
  }
  m_idle_timer.expires_after(m_idle_timeout);
  m_idle_timer.async_wait([self = shared_from_this()](std::error_code error) {
    if (error == asio::error::operation_aborted || self->m_stopped) {
      return;
    }
    // A wait that completed just before the timer was re-armed: the source is not idle.
    if (self->m_idle_timer.expiry() > asio::steady_timer::clock_type::now()) {
      return;
    }
    self->end(Closed{CloseReason::idle, {}});
  });
}

}  // namespace likematch::io
