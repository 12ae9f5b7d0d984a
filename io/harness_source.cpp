#include "io/harness_source.hpp"

#include <algorithm>
#include <utility>

namespace likematch::io {

HarnessSource::HarnessSource(asio::ip::tcp::socket socket, std::string_view bytes,
                             std::size_t chunk_bytes, DoneHandler on_done)
    : m_socket(std::move(socket)),
      m_bytes(bytes),
      m_chunk_bytes(chunk_bytes),
      m_on_done(std::move(on_done)) {}

void HarnessSource::start() {
  if (m_chunk_bytes != 0) {
    // Without this, Nagle's algorithm would glue the small pieces back together.
    std::error_code ignored;
    m_socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  }
  do_write();
}

void HarnessSource::stop() {
  m_stopped = true;
  std::error_code ignored;
  m_socket.close(ignored);
}

void HarnessSource::do_write() {
  const std::size_t left = m_bytes.size() - m_written;
  if (left == 0) {
    m_on_done({});
    return;
  }
  const std::size_t piece = m_chunk_bytes == 0 ? left : std::min(left, m_chunk_bytes);
  asio::async_write(m_socket, asio::buffer(m_bytes.data() + m_written, piece),
                    [self = shared_from_this()](std::error_code error, std::size_t written) {
                      if (self->m_stopped) {
                        return;
                      }
                      self->m_written += written;
                      if (error) {
                        self->m_on_done(error);
                        return;
                      }
                      self->do_write();
                    });
}

}  // namespace likematch::io
