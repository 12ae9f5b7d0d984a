#include "io/dialer.hpp"

#include <algorithm>
#include <utility>

namespace likematch::io {

Dialer::Dialer(asio::io_context& io, std::string host, std::uint16_t port,
               std::chrono::steady_clock::time_point deadline, Done done)
    : m_resolver(io),
      m_socket(io),
      m_timer(io),
      m_host(std::move(host)),
      m_port(port),
      m_deadline(deadline),
      m_done(std::move(done)) {}

void Dialer::start() {
  attempt();
}

void Dialer::stop() {
  m_stopped = true;
  m_resolver.cancel();
  m_timer.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
}

void Dialer::attempt() {
  m_resolver.async_resolve(
      m_host, std::to_string(m_port),
      [self = shared_from_this()](std::error_code error,
                                  asio::ip::tcp::resolver::results_type endpoints) {
        if (error == asio::error::operation_aborted || self->m_stopped) {
          return;
        }
        if (error) {
          self->retry(error);
          return;
        }
        asio::async_connect(self->m_socket, endpoints,
                            [self](std::error_code error, const asio::ip::tcp::endpoint&) {
                              if (error == asio::error::operation_aborted || self->m_stopped) {
                                return;
                              }
                              if (error) {
                                self->retry(error);
                                return;
                              }
                              self->finish({});
                            });
      });
}

void Dialer::retry(std::error_code error) {
  const auto now = std::chrono::steady_clock::now();
  if (now >= m_deadline) {
    finish(error);
    return;
  }
  m_timer.expires_at(std::min(m_deadline, now + m_pause));
  m_pause = std::min(m_pause * 2, k_longest_pause);
  m_timer.async_wait([self = shared_from_this()](std::error_code error) {
    if (error == asio::error::operation_aborted || self->m_stopped) {
      return;
    }
    self->attempt();
  });
}

void Dialer::finish(std::error_code error) {
  m_stopped = true;
  if (error) {
    std::error_code ignored;
    m_socket.close(ignored);
  }
  m_done(error, std::move(m_socket));
}

}  // namespace likematch::io
