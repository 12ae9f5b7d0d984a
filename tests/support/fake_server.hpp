#pragma once

// Test-only peers for `likematch harness`, standing in for `likematch serve` until the real
// server can be tested against it: a naive server that listens on both ports, and a naive
// `serve --connect` client that dials them. Both run core/Engine over the source's stream and
// answer only after EVENT END, from their own io_context in their own thread, bounded in time.
// Coroutines keep these scripted conversations readable; production io/ code keeps the
// class-per-connection shape of Asio's examples.

#include <fmt/format.h>
#include <asio.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/engine/engine.hpp"
#include "tests/support/recording_sink.hpp"

namespace likematch::test {

enum class FakeAnswer {
  correct,      // the whole list, in order
  wrong_third,  // the third number replaced by another, the rest as it should be
  swapped,      // the second and third numbers swapped
  silent,       // nothing at all
  hang_up,      // closes the listener's connection instead of answering
};

struct FakeOptions {
  FakeAnswer answer = FakeAnswer::correct;
  MatchRules rules;
  bool bytewise = false;  // write the numbers one byte per write
  bool crlf = false;      // end the numbers with CRLF
  // Leave out the last newline, then shut down the sending side (still reading the verdict).
  bool unterminated_and_close = false;
  // Written right after the numbers, in the same write ("999999\n": a number too many).
  std::string trailer;
};

// What a fake saw; read it after join().
struct FakeRecord {
  std::string source_bytes;                 // everything the source sent
  std::vector<std::uint64_t> sent;          // the numbers written to the listener
  std::vector<std::string> listener_lines;  // every line the listener sent
};

namespace fake_detail {

using asio::awaitable;
using asio::use_awaitable;
using Tcp = asio::ip::tcp;

// No fake outlives this, whatever the harness under test does.
constexpr std::chrono::seconds k_fake_limit{20};

inline auto with(std::error_code& error) {
  return asio::redirect_error(use_awaitable, error);
}

// Reads the source's stream through the engine to EVENT END (or the end of the stream).
inline awaitable<std::vector<std::uint64_t>> read_source(Tcp::socket& socket, FakeRecord& record,
                                                         MatchRules rules) {
  RecordingSink sink;
  Engine engine(EngineOptions{rules}, sink);
  std::array<char, 64 * 1024> buffer{};
  while (!engine.ended()) {
    std::error_code error;
    const std::size_t got = co_await socket.async_read_some(asio::buffer(buffer), with(error));
    record.source_bytes.append(buffer.data(), got);
    engine.feed(std::string_view(buffer.data(), got));
    if (error) {
      engine.finish();
    }
  }
  co_return sink.match_seqs();
}

inline awaitable<void> answer(Tcp::socket& socket, std::vector<std::uint64_t> numbers,
                              const FakeOptions& options, FakeRecord& record) {
  if (options.answer == FakeAnswer::wrong_third && numbers.size() >= 3) {
    numbers[2] += 1;
  }
  if (options.answer == FakeAnswer::swapped && numbers.size() >= 3) {
    std::swap(numbers[1], numbers[2]);
  }
  std::string text;
  for (const std::uint64_t number : numbers) {
    text += fmt::format("{}{}", number, options.crlf ? "\r\n" : "\n");
  }
  if (options.unterminated_and_close && !text.empty()) {
    text.pop_back();
  }
  text += options.trailer;
  record.sent = numbers;
  std::error_code error;
  if (!options.bytewise) {
    co_await asio::async_write(socket, asio::buffer(text), with(error));
  } else {
    for (std::size_t i = 0; i < text.size() && !error; ++i) {
      co_await asio::async_write(socket, asio::buffer(&text[i], 1), with(error));
    }
  }
  if (options.unterminated_and_close) {
    socket.shutdown(Tcp::socket::shutdown_send, error);
  }
}

// Every line the listener sends, until it closes.
inline awaitable<void> read_lines(Tcp::socket& socket, FakeRecord& record,
                                  std::string pending = {}) {
  while (true) {
    for (std::size_t newline = pending.find('\n'); newline != std::string::npos;
         newline = pending.find('\n')) {
      record.listener_lines.push_back(pending.substr(0, newline));
      pending.erase(0, newline + 1);
    }
    std::array<char, 4096> buffer{};
    std::error_code error;
    const std::size_t got = co_await socket.async_read_some(asio::buffer(buffer), with(error));
    pending.append(buffer.data(), got);
    if (error) {
      break;
    }
  }
}

// Owns the io_context and its thread; the thread is joined before anything else goes.
class FakePeer {
 public:
  FakePeer() = default;
  FakePeer(const FakePeer&) = delete;
  FakePeer& operator=(const FakePeer&) = delete;
  ~FakePeer() { stop_and_join(); }

  // Waits until the fake has finished its conversation (or its time limit).
  const FakeRecord& join() {
    if (m_thread.joinable()) {
      m_thread.join();
    }
    return m_record;
  }

 protected:
  void run_in_thread() {
    m_thread = std::thread([this] { m_io.run_for(k_fake_limit); });
  }

  // Each derived destructor calls this first: its members must outlive the thread.
  void stop_and_join() {
    m_io.stop();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }

  asio::io_context m_io;
  FakeRecord m_record;

 private:
  std::thread m_thread;
};

}  // namespace fake_detail

// Listens on 127.0.0.1, ports chosen by the system, for one source and one listener.
class FakeServer : public fake_detail::FakePeer {
 public:
  explicit FakeServer(FakeOptions options = {})
      : m_options(options),
        m_source_acceptor(m_io, {asio::ip::make_address("127.0.0.1"), 0}),
        m_listener_acceptor(m_io, {asio::ip::make_address("127.0.0.1"), 0}),
        m_signal(m_io),
        m_source_port(m_source_acceptor.local_endpoint().port()),
        m_listener_port(m_listener_acceptor.local_endpoint().port()) {
    asio::co_spawn(m_io, source_task(), asio::detached);
    asio::co_spawn(m_io, listener_task(), asio::detached);
    run_in_thread();
  }

  ~FakeServer() { stop_and_join(); }

  std::uint16_t source_port() const { return m_source_port; }
  std::uint16_t listener_port() const { return m_listener_port; }

 private:
  asio::awaitable<void> source_task() {
    std::error_code error;
    auto socket = co_await m_source_acceptor.async_accept(fake_detail::with(error));
    if (error) {
      co_return;
    }
    m_matches = co_await fake_detail::read_source(socket, m_record, m_options.rules);
    m_source_done = true;
    m_signal.cancel();
    // Like a server, keep the source's connection until the harness closes it.
    std::array<char, 4096> buffer{};
    while (!error) {
      co_await socket.async_read_some(asio::buffer(buffer), fake_detail::with(error));
    }
  }

  asio::awaitable<void> listener_task() {
    std::error_code error;
    auto socket = co_await m_listener_acceptor.async_accept(fake_detail::with(error));
    if (error) {
      co_return;
    }
    while (!m_source_done) {
      m_signal.expires_at(asio::steady_timer::time_point::max());
      co_await m_signal.async_wait(fake_detail::with(error));
    }
    if (m_options.answer == FakeAnswer::hang_up) {
      socket.close();
      co_return;
    }
    if (m_options.answer != FakeAnswer::silent) {
      co_await fake_detail::answer(socket, m_matches, m_options, m_record);
    }
    co_await fake_detail::read_lines(socket, m_record);
  }

  FakeOptions m_options;
  asio::ip::tcp::acceptor m_source_acceptor;
  asio::ip::tcp::acceptor m_listener_acceptor;
  asio::steady_timer m_signal;  // cancelled when the source's stream has ended
  std::uint16_t m_source_port;
  std::uint16_t m_listener_port;
  bool m_source_done = false;
  std::vector<std::uint64_t> m_matches;
};

// Dials like `likematch serve --connect` after the public solution: the source's port, reads
// to EVENT END, then the listener's port, waits for MATCH BEGIN, answers, reads the verdict.
class FakeConnectClient : public fake_detail::FakePeer {
 public:
  FakeConnectClient(std::uint16_t source_port, std::uint16_t listener_port,
                    FakeOptions options = {})
      : m_options(options) {
    asio::co_spawn(m_io, run(source_port, listener_port), asio::detached);
    run_in_thread();
  }
  ~FakeConnectClient() { stop_and_join(); }

 private:
  asio::awaitable<void> run(std::uint16_t source_port, std::uint16_t listener_port) {
    const auto address = asio::ip::make_address("127.0.0.1");
    std::error_code error;
    asio::ip::tcp::socket source(m_io);
    co_await source.async_connect({address, source_port}, fake_detail::with(error));
    if (error) {
      co_return;
    }
    const std::vector<std::uint64_t> matches =
        co_await fake_detail::read_source(source, m_record, m_options.rules);

    asio::ip::tcp::socket listener(m_io);
    co_await listener.async_connect({address, listener_port}, fake_detail::with(error));
    if (error) {
      co_return;
    }
    std::string pending;
    const std::size_t line_end = co_await asio::async_read_until(
        listener, asio::dynamic_buffer(pending), '\n', fake_detail::with(error));
    if (error) {
      co_return;
    }
    m_record.listener_lines.push_back(pending.substr(0, line_end - 1));
    pending.erase(0, line_end);
    co_await fake_detail::answer(listener, matches, m_options, m_record);
    co_await fake_detail::read_lines(listener, m_record, std::move(pending));
  }

  FakeOptions m_options;
};

}  // namespace likematch::test
