#include "io/listener_connection.hpp"

#include <sys/ioctl.h>
#if __has_include(<linux/sockios.h>)
#include <linux/sockios.h>
#endif

#include <utility>
#include <vector>

namespace likematch::io {

ListenerConnection::ListenerConnection(asio::ip::tcp::socket socket, ConnectionId id,
                                       Callbacks callbacks)
    : m_socket(std::move(socket)),
      m_id(id),
      m_callbacks(std::move(callbacks)),
      m_recheck(m_socket.get_executor()) {}

namespace {

// How often a queue written but not yet acknowledged is looked at again.
constexpr std::chrono::milliseconds k_recheck_pause{20};

// Bytes in the socket's send queue that the peer has not acknowledged; 0 where the system
// cannot say (then "written" means handed to the kernel).
int unacknowledged(asio::ip::tcp::socket& socket) {
#ifdef SIOCOUTQ
  int bytes = 0;
  if (::ioctl(socket.native_handle(), SIOCOUTQ, &bytes) == 0) {
    return bytes;
  }
#endif
  (void)socket;
  return 0;
}

}  // namespace

void ListenerConnection::start() {
  do_read();
}

void ListenerConnection::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_recheck.cancel();
  // What is not being written is dropped now; the write in flight lets go of its chunks when
  // its (aborted) handler runs.
  m_queue.erase(m_queue.begin() + static_cast<std::ptrdiff_t>(m_writing), m_queue.end());
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

void ListenerConnection::deliver(std::shared_ptr<const std::string> bytes) {
  if (m_stopped || !bytes) {
    return;
  }
  m_queue.push_back(std::move(bytes));
  if (m_writing == 0) {
    do_write();
  }
}

void ListenerConnection::do_write() {
  m_writing = m_queue.size();
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(m_writing);
  for (const auto& chunk : m_queue) {
    buffers.push_back(asio::buffer(*chunk));
  }
  asio::async_write(
      m_socket, buffers, [self = shared_from_this()](std::error_code error, std::size_t) {
        // Written, or abandoned: either way the chunks are not needed here.
        const std::size_t written = std::exchange(self->m_writing, 0);
        self->m_queue.erase(self->m_queue.begin(),
                            self->m_queue.begin() + static_cast<std::ptrdiff_t>(written));
        if (error == asio::error::operation_aborted || self->m_stopped) {
          return;
        }
        if (error) {
          self->end(Closed{CloseReason::failed, error.message()});
          return;
        }
        self->m_unreported += written;
        if (!self->m_queue.empty()) {
          self->do_write();
        } else {
          self->report_written();
        }
      });
}

// Reports the completed writes once the peer has acknowledged every byte, looking again every
// k_recheck_pause until then; a new write reports them when it completes.
void ListenerConnection::report_written() {
  if (m_stopped || m_unreported == 0 || m_writing != 0) {
    return;
  }
  if (unacknowledged(m_socket) == 0) {
    m_callbacks.on_written(m_id, std::exchange(m_unreported, 0));
    return;
  }
  m_recheck.expires_after(k_recheck_pause);
  m_recheck.async_wait([self = shared_from_this()](std::error_code error) {
    if (error != asio::error::operation_aborted) {
      self->report_written();
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
  // What the listener says next (a verdict, a close) follows what it read: whatever it has
  // acknowledged is reported first.
  report_written();
  if (m_stopped) {
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
