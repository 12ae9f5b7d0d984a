#pragma once

#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace likematch::io {

// Connects to HOST:PORT, trying again with a short, growing pause until it is accepted or the
// deadline passes: the peer (the challenge's harness image) may open its ports after we start.
class Dialer : public std::enable_shared_from_this<Dialer> {
 public:
  // On success the error is empty and the socket connected; otherwise the last error.
  using Done = std::function<void(std::error_code, asio::ip::tcp::socket)>;

  static constexpr std::chrono::milliseconds k_first_pause{20};
  static constexpr std::chrono::milliseconds k_longest_pause{500};

  Dialer(asio::io_context& io, std::string host, std::uint16_t port,
         std::chrono::steady_clock::time_point deadline, Done done);
  Dialer(const Dialer&) = delete;
  Dialer& operator=(const Dialer&) = delete;

  void start();
  // Gives up without calling Done.
  void stop();

 private:
  void attempt();
  void retry(std::error_code error);
  void finish(std::error_code error);

  asio::ip::tcp::resolver m_resolver;
  asio::ip::tcp::socket m_socket;
  asio::steady_timer m_timer;
  std::string m_host;
  std::uint16_t m_port;
  std::chrono::steady_clock::time_point m_deadline;
  std::chrono::milliseconds m_pause = k_first_pause;
  Done m_done;
  bool m_stopped = false;
};

}  // namespace likematch::io
