#pragma once

#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

namespace likematch::io {

// Dials HOST:PORT and retries every short pause until it connects or the deadline passes,
// because the server may still be starting when its client starts (a script running both).
class Dialer : public std::enable_shared_from_this<Dialer> {
 public:
  // A connected socket, or the last error once the deadline has passed. Not called after stop().
  using Handler = std::function<void(std::error_code, asio::ip::tcp::socket)>;

  Dialer(asio::io_context& io, std::string host, std::uint16_t port,
         std::chrono::steady_clock::time_point deadline, Handler handler);
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  // Dials after `pause` (0: at once).
  void start(std::chrono::milliseconds pause = std::chrono::milliseconds(0));
  void stop();

 private:
  void do_resolve();
  void do_connect(const asio::ip::tcp::resolver::results_type& endpoints);
  void retry_or_fail(std::error_code error);
  void wait_then_resolve(std::chrono::milliseconds pause);

  asio::ip::tcp::resolver m_resolver;
  asio::ip::tcp::socket m_socket;
  asio::steady_timer m_pause;
  std::string m_host;
  std::uint16_t m_port;
  std::chrono::steady_clock::time_point m_deadline;
  Handler m_handler;
  bool m_stopped = false;
};

}  // namespace likematch::io
