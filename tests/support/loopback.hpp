#pragma once

// Test-side TCP peers for the serve tests: plain POSIX sockets on 127.0.0.1 whose every wait
// is bounded by poll(), so a broken server fails a test instead of hanging it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace likematch::test {

using namespace std::chrono_literals;

// Long enough for a loaded machine, short enough that a hang ends the run.
constexpr std::chrono::milliseconds k_wait = 30s;

inline sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// One connected socket.
class Peer {
 public:
  explicit Peer(int fd) : m_fd(fd) {
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  Peer(Peer&& other) noexcept
      : received(std::move(other.received)), m_fd(std::exchange(other.m_fd, -1)) {}
  Peer& operator=(Peer&&) = delete;
  ~Peer() { close(); }

  static Peer connect(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
    return Peer(fd);
  }

  // Writes everything, waiting for room at most k_wait in all. False if the peer is gone.
  bool send(std::string_view bytes) {
    const auto deadline = std::chrono::steady_clock::now() + k_wait;
    while (!bytes.empty()) {
      if (!wait_for(POLLOUT, deadline)) {
        return false;
      }
      const ssize_t sent = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (sent < 0) {
        if (errno == EAGAIN || errno == EINTR) {
          continue;
        }
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads into `received` until done(received), end of stream or the timeout. Returns whether
  // done() became true.
  bool read_until(const std::function<bool(const std::string&)>& done,
                  std::chrono::milliseconds timeout = k_wait) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(received)) {
      if (m_eof || !wait_for(POLLIN, deadline)) {
        return false;
      }
      read_some();
    }
    return true;
  }

  // Reads whatever has arrived, without waiting (for tests that drive an io_context in the
  // same thread).
  void read_ready() {
    pollfd entry{m_fd, POLLIN, 0};
    while (!m_eof && ::poll(&entry, 1, 0) == 1) {
      read_some();
    }
  }

  bool read_size(std::size_t size) {
    return read_until([size](const std::string& text) { return text.size() >= size; });
  }

  // Reads until the other side closes; false if it did not within the timeout.
  bool wait_closed(std::chrono::milliseconds timeout = k_wait) {
    read_until([this](const std::string&) { return m_eof; }, timeout);
    return m_eof;
  }

  bool eof() const { return m_eof; }

  // Everything read so far.
  std::string received;

  // No more writes: the other side reads end of stream, this side can still read.
  void shutdown_write() { ::shutdown(m_fd, SHUT_WR); }

  // Closes with a reset (SO_LINGER 0) instead of an orderly close.
  void reset() {
    const linger abort{1, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
    close();
  }

  void close() {
    if (m_fd >= 0) {
      ::close(m_fd);
      m_fd = -1;
    }
  }

 private:
  bool wait_for(short events, std::chrono::steady_clock::time_point deadline) {
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) {
        return false;
      }
      pollfd entry{m_fd, events, 0};
      const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
      if (ready > 0) {
        return true;
      }
      if (ready < 0 && errno != EINTR) {
        return false;
      }
    }
  }

  void read_some() {
    char buffer[65536];
    const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (got > 0) {
      received.append(buffer, static_cast<std::size_t>(got));
    } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
      m_eof = true;
    }
  }

  int m_fd = -1;
  bool m_eof = false;
};

// A listening socket on 127.0.0.1 and a port chosen by the system: the harness's side of
// `serve --connect`.
class Listening {
 public:
  // Port 0: the system chooses.
  explicit Listening(std::uint16_t port = 0)
      : m_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    const sockaddr_in address = loopback(port);
    if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(m_fd, 8) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    sockaddr_in bound{};
    socklen_t length = sizeof bound;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&bound), &length);
    m_port = ntohs(bound.sin_port);
  }
  Listening(const Listening&) = delete;
  Listening& operator=(const Listening&) = delete;
  ~Listening() { ::close(m_fd); }

  std::uint16_t port() const { return m_port; }

  Peer accept(std::chrono::milliseconds timeout = k_wait) {
    pollfd entry{m_fd, POLLIN, 0};
    if (::poll(&entry, 1, static_cast<int>(timeout.count())) != 1) {
      throw std::runtime_error("nothing connected in time");
    }
    return Peer(::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC));
  }

 private:
  int m_fd;
  std::uint16_t m_port = 0;
};

// A port on which nothing listens (bound, then released).
inline std::uint16_t unused_port() {
  Listening probe;
  return probe.port();
}

}  // namespace likematch::test
