#include "io/harness_listener.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace likematch::io {

namespace {

// A slow reader takes this much at a time, then pauses: about 64 KB/s, far below what a
// server writes, so its output queue must hold what the socket cannot.
constexpr std::size_t k_slow_read_bytes = 64;
constexpr std::chrono::milliseconds k_slow_pause{1};
// A line this long without '\n' is handed to the script as it is, to be judged wrong.
constexpr std::size_t k_max_line = 4096;

}  // namespace

HarnessListener::HarnessListener(asio::ip::tcp::socket socket, const ListenerScript& script,
                                 bool slow_reader, EndHandler on_end)
    : m_socket(std::move(socket)),
      m_pause(m_socket.get_executor()),
      m_script(script),
      m_slow(slow_reader),
      m_on_end(std::move(on_end)) {}

void HarnessListener::start() {
  if (m_script.initial_reply) {
    // The greeting and the reply go out together, in order.
    do_reply(*m_script.initial_reply);
    return;
  }
  asio::async_write(m_socket, asio::buffer(m_script.greeting),
                    [self = shared_from_this()](std::error_code error, std::size_t) {
                      if (self->m_stopped) {
                        return;
                      }
                      if (error) {
                        self->end(End::failed, error);
                      }
                    });
  do_read();
}

void HarnessListener::stop() {
  m_stopped = true;
  m_pause.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
}

void HarnessListener::do_read() {
  const std::size_t want = m_slow ? k_slow_read_bytes : m_buffer.size();
  m_socket.async_read_some(
      asio::buffer(m_buffer.data(), want),
      [self = shared_from_this()](std::error_code error, std::size_t got) {
        if (self->m_stopped) {
          return;
        }
        if (!self->take(std::string_view(self->m_buffer.data(), got))) {
          self->do_reply(std::move(*self->m_reply));
          return;
        }
        // A server that closes with our greeting unread resets instead: the same hang-up.
        // A last line without '\n' still counts, as a line reader would hand it out.
        if (error == asio::error::eof || error == asio::error::connection_reset) {
          if (!self->m_partial.empty() && !self->take_line(self->m_partial)) {
            self->do_reply(std::move(*self->m_reply));
            return;
          }
          self->end(End::closed_by_peer, error);
          return;
        }
        if (error) {
          self->end(End::failed, error);
          return;
        }
        if (self->m_slow) {
          self->do_pause();
        } else {
          self->do_read();
        }
      });
}

void HarnessListener::do_pause() {
  m_pause.expires_after(k_slow_pause);
  m_pause.async_wait([self = shared_from_this()](std::error_code error) {
    if (self->m_stopped || error == asio::error::operation_aborted) {
      return;
    }
    self->do_read();
  });
}

bool HarnessListener::take(std::string_view bytes) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      m_partial.append(bytes);
      if (m_partial.size() > k_max_line) {
        std::string line = std::move(m_partial);
        m_partial.clear();
        return take_line(line);
      }
      return true;
    }
    bool go_on = true;
    if (m_partial.empty()) {
      go_on = take_line(bytes.substr(0, newline));
    } else {
      m_partial.append(bytes.substr(0, newline));
      std::string line = std::move(m_partial);
      m_partial.clear();
      go_on = take_line(line);
    }
    if (!go_on) {
      return false;
    }
    bytes.remove_prefix(newline + 1);
  }
  return true;
}

bool HarnessListener::take_line(std::string_view line) {
  ++m_lines;
  m_reply = m_script.on_line(line);
  return !m_reply.has_value();
}

void HarnessListener::do_reply(ListenerReply reply) {
  m_reply = std::move(reply);
  // A listener that has not greeted yet (an immediate reply) greets first.
  m_greeting_and_reply = m_script.initial_reply ? m_script.greeting : std::string();
  m_greeting_and_reply += m_reply->line;
  asio::async_write(m_socket, asio::buffer(m_greeting_and_reply),
                    [self = shared_from_this()](std::error_code, std::size_t) {
                      if (self->m_stopped) {
                        return;
                      }
                      // A server that is already gone cannot change the verdict.
                      self->end(End::replied, {});
                    });
}

void HarnessListener::end(End how, std::error_code error) {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_pause.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
  m_on_end(how, m_reply ? &*m_reply : nullptr, error);
}

}  // namespace likematch::io
