#pragma once

// For tests of io/ classes driven in the test's own thread: run an io_context until something
// has happened, boundedly, and make a connected pair of an asio socket and a test-side Peer.

#include <asio.hpp>

#include <chrono>
#include <functional>
#include <utility>

#include "tests/support/loopback.hpp"

namespace likematch::test {

// Runs `io` until done() or the timeout; returns whether done() became true. `also` runs
// between handlers (a test-side peer reading what has arrived, say).
inline bool run_until(asio::io_context& io, const std::function<bool()>& done,
                      const std::function<void()>& also = {},
                      std::chrono::milliseconds timeout = k_wait) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    io.run_one_for(std::chrono::milliseconds(2));
    if (io.stopped()) {
      io.restart();
    }
    if (also) {
      also();
    }
  }
  return true;
}

// An asio socket on `io` connected to a test-side Peer, over 127.0.0.1.
struct SocketPair {
  asio::ip::tcp::socket ours;
  Peer peer;
};

inline SocketPair connected_pair(asio::io_context& io) {
  asio::ip::tcp::acceptor acceptor(io);
  std::error_code error;
  const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), 0);
  acceptor.open(endpoint.protocol(), error);
  acceptor.bind(endpoint, error);
  acceptor.listen(asio::socket_base::max_listen_connections, error);
  Peer peer = Peer::connect(acceptor.local_endpoint(error).port());
  asio::ip::tcp::socket ours(io);
  acceptor.accept(ours, error);
  if (error) {
    throw std::runtime_error("cannot accept on 127.0.0.1: " + error.message());
  }
  return SocketPair{std::move(ours), std::move(peer)};
}

}  // namespace likematch::test
