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

void ListenerConnection::end(Closed how) {
  if (m_stopped) {
    return;
  }
  stop();
  m_callbacks.on_closed(m_id, how);
}

void ListenerConnection::deliver(std::string_view bytes) {
  if (m_stopped) {
    return;
  }
  if (m_queued.size() + bytes.size() > k_max_queued) {
    end(Closed{CloseReason::failed, "more than 256 MiB queued"});
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
                        self->end(Closed{CloseReason::failed, error.message()});
                        return;
                      }
                      if (!self->m_queued.empty()) {
                        self->do_write();
                      }
                    });
}

void ListenerConnection::do_read() {
  m_socket.async_read_some(asio::buffer(m_input),
                           [self = shared_from_this()](std::error_code error, std::size_t length) {
                             self->on_read(error, length);
                           });
}

void ListenerConnection::on_read(std::error_code error, std::size_t length) {
  if (error == asio::error::operation_aborted || m_stopped) {
    return;
  }
  if (length != 0) {
    m_callbacks.on_bytes(m_id, std::string_view(m_input.data(), length));
    // on_bytes may have closed this connection.
    if (m_stopped) {
      return;
    }
  }
  if (error == asio::error::eof) {
    end(Closed{CloseReason::peer_closed, {}});
    return;
  }
  if (error) {
    end(Closed{CloseReason::failed, error.message()});
    return;
  }
  do_read();
}

}  // namespace likematch::io
