#include "io/listener_connection.hpp"

#include <utility>

namespace likematch::io {

ListenerConnection::ListenerConnection(asio::ip::tcp::socket socket, ConnectionId id,
                                       Callbacks callbacks)
    : m_socket(std::move(socket)), m_id(id), m_callbacks(std::move(callbacks)) {}

void ListenerConnection::start() {
  do_read();
}

void ListenerConnection::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  std::error_code ignored;
  m_socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  m_socket.close(ignored);
}

void ListenerConnection::end() {
  if (m_stopped) {
    return;
  }
  stop();
  m_callbacks.on_closed(m_id);
}

void ListenerConnection::deliver(std::string_view bytes) {
  if (m_stopped) {
    return;
  }
  if (m_queued.size() + bytes.size() > k_max_queued) {
    end();
    return;
  }
  m_queued.append(bytes);
  if (!m_write_in_flight) {
    do_write();
  }
}

void ListenerConnection::do_write() {
  m_writing.clear();
  m_writing.swap(m_queued);
  m_write_in_flight = true;
  asio::async_write(m_socket, asio::buffer(m_writing),
                    [self = shared_from_this()](std::error_code error, std::size_t) {
                      if (error == asio::error::operation_aborted || self->m_stopped) {
                        return;
                      }
                      self->m_write_in_flight = false;
                      if (error) {
                        self->end();
                        return;
                      }
                      if (!self->m_queued.empty()) {
                        self->do_write();
                      }
                    });
}

void ListenerConnection::do_read() {
  asio::async_read_until(m_socket, asio::dynamic_buffer(m_input, k_max_line), '\n',
                         [self = shared_from_this()](std::error_code error, std::size_t length) {
                           self->on_read(error, length);
                         });
}

void ListenerConnection::on_read(std::error_code error, std::size_t length) {
  if (error == asio::error::operation_aborted || m_stopped) {
    return;
  }
  // End of stream, a failure, or a line past k_max_line (the framing is broken).
  if (error) {
    // A last line without its '\n' still counts, unless it is the overlong one.
    if (error == asio::error::eof && !m_input.empty()) {
      const std::string line = std::exchange(m_input, {});
      m_callbacks.on_line(m_id, line);
    }
    end();
    return;
  }
  const std::string line = m_input.substr(0, length - 1);
  m_input.erase(0, length);
  m_callbacks.on_line(m_id, line);
  if (!m_stopped) {
    do_read();
  }
}

}  // namespace likematch::io
