#include "io/dialer.hpp"

#include <utility>

namespace likematch::io {

namespace {

// Short enough that a server started a moment after its client costs nothing noticeable.
constexpr std::chrono::milliseconds k_retry_pause{50};

}  // namespace

Dialer::Dialer(asio::io_context& io, std::string host, std::uint16_t port,
               std::chrono::steady_clock::time_point deadline, Handler handler)
    : m_resolver(io),
      m_socket(io),
      m_pause(io),
      m_host(std::move(host)),
      m_port(port),
      m_deadline(deadline),
      m_handler(std::move(handler)) {}

void Dialer::start(std::chrono::milliseconds pause) {
  if (pause.count() <= 0) {
    do_resolve();
    return;
  }
  wait_then_resolve(pause);
}

void Dialer::stop() {
  m_stopped = true;
  m_resolver.cancel();
  m_pause.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
}

void Dialer::do_resolve() {
  m_resolver.async_resolve(
      m_host, std::to_string(m_port),
      [self = shared_from_this()](std::error_code error,
                                  asio::ip::tcp::resolver::results_type endpoints) {
        if (self->m_stopped) {
          return;
        }
        if (error) {
          self->retry_or_fail(error);
          return;
        }
        self->do_connect(endpoints);
      });
}

void Dialer::do_connect(const asio::ip::tcp::resolver::results_type& endpoints) {
  asio::async_connect(
      m_socket, endpoints,
      [self = shared_from_this()](std::error_code error, const asio::ip::tcp::endpoint&) {
        if (self->m_stopped) {
          return;
        }
        if (error) {
          self->retry_or_fail(error);
          return;
        }
        self->m_handler({}, std::move(self->m_socket));
      });
}

void Dialer::retry_or_fail(std::error_code error) {
  std::error_code ignored;
  m_socket.close(ignored);
  if (std::chrono::steady_clock::now() + k_retry_pause >= m_deadline) {
    m_handler(error, asio::ip::tcp::socket(m_socket.get_executor()));
    return;
  }
  wait_then_resolve(k_retry_pause);
}

void Dialer::wait_then_resolve(std::chrono::milliseconds pause) {
  m_pause.expires_after(pause);
  m_pause.async_wait([self = shared_from_this()](std::error_code wait_error) {
    if (self->m_stopped || wait_error == asio::error::operation_aborted) {
      return;
    }
    self->do_resolve();
  });
}

}  // namespace likematch::io
