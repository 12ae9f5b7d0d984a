#include "io/harness_listener.hpp"

#include <utility>

namespace likematch::io {

namespace {

// A slow reader takes this much at a time, then pauses: about 64 KB/s, far below what a
// server writes, so its output queue must hold what the socket cannot.
constexpr std::size_t k_slow_read_bytes = 64;
constexpr std::chrono::milliseconds k_slow_pause{1};

}  // namespace

HarnessListener::HarnessListener(asio::ip::tcp::socket socket, const ListenerScript& script,
                                 bool slow_reader, std::chrono::milliseconds quiet_for,
                                 EndHandler on_end)
    : m_socket(std::move(socket)),
      m_pause(m_socket.get_executor()),
      m_quiet(m_socket.get_executor()),
      m_script(script),
      m_slow(slow_reader),
      m_quiet_for(quiet_for),
      m_on_end(std::move(on_end)) {}

void HarnessListener::start() {
  asio::async_write(m_socket, asio::buffer(m_script.greeting),
                    [self = shared_from_this()](std::error_code error, std::size_t) {
                      if (self->m_stopped) {
                        return;
                      }
                      self->m_greeted = true;
                      if (self->m_reply) {
                        // Decided while the greeting was on its way: the reply follows it.
                        self->write_reply();
                        return;
                      }
                      if (error) {
                        self->end(End::failed, error);
                      }
                    });
  ask_for_quiet(false);
  do_read();
}

void HarnessListener::stop() {
  m_stopped = true;
  m_pause.cancel();
  m_quiet.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
}

void HarnessListener::source_finished(Clock::time_point when) {
  if (m_source_finished_at) {
    return;
  }
  m_source_finished_at = when;
  start_quiet_if_due();
}

void HarnessListener::do_read() {
  const std::size_t want = m_slow ? k_slow_read_bytes : m_buffer.size();
  m_socket.async_read_some(asio::buffer(m_buffer.data(), want),
                           [self = shared_from_this()](std::error_code error, std::size_t got) {
                             self->on_read(error, got);
                           });
}

void HarnessListener::on_read(std::error_code error, std::size_t got) {
  if (m_stopped || m_reply) {
    return;
  }
  if (got != 0) {
    m_bytes += got;
    if (auto reply = m_script.on_bytes(std::string_view(m_buffer.data(), got))) {
      do_reply(std::move(*reply), Clock::now());
      return;
    }
    ask_for_quiet(true);
  }
  // A server that closes with our greeting unread resets instead: the same hang-up.
  if (error == asio::error::eof || error == asio::error::connection_reset) {
    std::optional<ListenerReply> reply =
        m_script.on_peer_closed ? m_script.on_peer_closed() : std::nullopt;
    if (reply) {
      do_reply(std::move(*reply), complete_at().value_or(Clock::now()));
      return;
    }
    end(End::closed_by_peer, error);
    return;
  }
  if (error) {
    end(End::failed, error);
    return;
  }
  if (m_slow) {
    do_pause();
  } else {
    do_read();
  }
}

void HarnessListener::do_pause() {
  m_pause.expires_after(k_slow_pause);
  m_pause.async_wait([self = shared_from_this()](std::error_code error) {
    if (self->m_stopped || self->m_reply || error == asio::error::operation_aborted) {
      return;
    }
    self->do_read();
  });
}

void HarnessListener::ask_for_quiet(bool after_bytes) {
  if (m_wants_quiet_since || !m_script.wants_quiet || !m_script.wants_quiet()) {
    return;
  }
  m_wants_quiet_since = Clock::now();
  m_quiet_from_start = !after_bytes;
  start_quiet_if_due();
}

void HarnessListener::start_quiet_if_due() {
  if (m_quiet_started || m_stopped || m_reply || !m_wants_quiet_since || !m_source_finished_at) {
    return;
  }
  m_quiet_started = true;
  m_quiet.expires_after(m_quiet_for);
  m_quiet.async_wait([self = shared_from_this()](std::error_code error) {
    if (self->m_stopped || self->m_reply || error == asio::error::operation_aborted) {
      return;
    }
    self->do_reply(self->m_script.on_quiet(), *self->complete_at());
  });
}

std::optional<HarnessListener::Clock::time_point> HarnessListener::complete_at() const {
  // A script that had all it expected before reading anything (nothing was expected) is
  // complete once the source has sent everything.
  return m_quiet_from_start ? m_source_finished_at : m_wants_quiet_since;
}

void HarnessListener::do_reply(ListenerReply reply, Clock::time_point decided_at) {
  m_reply = std::move(reply);
  m_decided_at = decided_at;
  m_pause.cancel();
  m_quiet.cancel();
  if (m_greeted) {
    write_reply();
  }
}

void HarnessListener::write_reply() {
  asio::async_write(m_socket, asio::buffer(m_reply->line),
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
  m_quiet.cancel();
  std::error_code ignored;
  m_socket.close(ignored);
  m_on_end(how, m_reply ? &*m_reply : nullptr, error);
}

}  // namespace likematch::io
