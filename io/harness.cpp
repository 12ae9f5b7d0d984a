#include "io/harness.hpp"

#include <fmt/format.h>

#include <utility>

#include "io/acceptor.hpp"
#include "io/dialer.hpp"
#include "io/endpoint.hpp"
#include "io/harness_source.hpp"

namespace likematch::io {

Harness::Harness(HarnessPlan plan, std::string source_bytes, ListenerScript script, Note note)
    : m_plan(std::move(plan)),
      m_source_bytes(std::move(source_bytes)),
      m_script(std::move(script)),
      m_note(std::move(note)),
      m_source_acceptor(m_io),
      m_listener_acceptor(m_io),
      m_timeout(m_io),
      m_delay(m_io) {}

Harness::~Harness() = default;

std::optional<std::string> Harness::open() {
  if (m_opened || !m_plan.listen) {
    m_opened = true;
    return std::nullopt;
  }
  if (auto error = listen_pair({m_source_acceptor, m_listener_acceptor}, m_plan.bind,
                               m_plan.source_port, m_plan.listener_port)) {
    return error;
  }
  m_opened = true;
  return std::nullopt;
}

std::uint16_t Harness::source_port() const {
  std::error_code ignored;
  return m_source_acceptor.is_open() ? m_source_acceptor.local_endpoint(ignored).port()
                                     : m_plan.source_port;
}

std::uint16_t Harness::listener_port() const {
  std::error_code ignored;
  return m_listener_acceptor.is_open() ? m_listener_acceptor.local_endpoint(ignored).port()
                                       : m_plan.listener_port;
}

HarnessResult Harness::run() {
  m_started = std::chrono::steady_clock::now();
  if (auto error = open()) {
    m_result.end = HarnessResult::End::failed;
    m_result.error = std::move(*error);
    return m_result;
  }
  m_timeout.expires_after(m_plan.timeout);
  m_timeout.async_wait([this](std::error_code error) {
    if (error != asio::error::operation_aborted) {
      finish(HarnessResult::End::timed_out);
    }
  });
  switch (m_plan.listener_start) {
    case ListenerStart::with_source:
      start(Role::source);
      start(Role::listener);
      break;
    case ListenerStart::first:
      start(Role::listener);
      break;
    case ListenerStart::after_source_end:
    case ListenerStart::after_delay:
      start(Role::source);
      break;
  }
  m_io.run();
  return m_result;
}

void Harness::connect(bool source, ConnectHandler handler) {
  if (m_plan.listen) {
    asio::ip::tcp::acceptor& acceptor = source ? m_source_acceptor : m_listener_acceptor;
    acceptor.async_accept(
        [handler = std::move(handler)](std::error_code error, Socket socket) mutable {
          handler(error, std::move(socket));
        });
    return;
  }
  auto dialer = std::make_shared<Dialer>(
      m_io, m_plan.host, source ? m_plan.source_port : m_plan.listener_port,
      std::chrono::steady_clock::now() + m_plan.connect_timeout, std::move(handler));
  (source ? m_source_dialer : m_listener_dialer) = dialer;
  dialer->start();
}

// Dials the role's port (or, in listen mode, waits for the server to dial it), then hands the
// connection on.
void Harness::start(Role role) {
  const bool source = role == Role::source;
  if (!source && std::exchange(m_listener_started, true)) {
    return;
  }
  const std::string_view name = to_string(role);
  const std::uint16_t port = source ? m_plan.source_port : m_plan.listener_port;
  note(m_plan.listen
           ? fmt::format("{}: waiting on port {}", name, source ? source_port() : listener_port())
           : fmt::format("{}: dialing {}", name, format_endpoint(m_plan.host, port)));
  connect(source, [this, source, name, port](std::error_code error, Socket socket) {
    if (m_finished || error == asio::error::operation_aborted) {
      return;
    }
    if (error) {
      fail(m_plan.listen ? fmt::format("{}: accept failed: {}", name, error.message())
                         : fmt::format("{}: cannot connect to {}: {}", name,
                                       format_endpoint(m_plan.host, port), error.message()));
      return;
    }
    if (source) {
      on_source_connected(std::move(socket));
    } else {
      on_listener_connected(std::move(socket));
    }
  });
}

void Harness::on_source_connected(Socket socket) {
  m_source_connected_at = std::chrono::steady_clock::now();
  m_result.source_connected = true;
  note("source: connected");
  if (m_plan.listener_start == ListenerStart::after_delay) {
    m_delay.expires_after(m_plan.listener_delay);
    m_delay.async_wait([this](std::error_code error) {
      if (!m_finished && error != asio::error::operation_aborted) {
        start(Role::listener);
      }
    });
  }
  m_source =
      std::make_shared<HarnessSource>(std::move(socket), m_source_bytes, m_plan.chunk_bytes,
                                      [this](std::error_code error) { on_source_done(error); });
  m_source->start();
}

void Harness::on_source_done(std::error_code error) {
  if (m_finished) {
    return;
  }
  if (error) {
    if (m_result.reply) {
      // The listener has judged already; a server that hangs up on the source now changes
      // nothing.
      finish(HarnessResult::End::replied);
      return;
    }
    fail(fmt::format("source: write failed after {} of {} bytes: {}", m_source->written(),
                     m_source_bytes.size(), error.message()));
    return;
  }
  m_result.source_finished = true;
  m_source_finished.store(true, std::memory_order_relaxed);
  m_source_finished_at = std::chrono::steady_clock::now();
  note(fmt::format("source: all {} bytes written", m_source_bytes.size()));
  if (m_listener) {
    m_listener->source_finished(m_source_finished_at);
  }
  if (m_result.reply) {
    finish(HarnessResult::End::replied);
    return;
  }
  if (m_plan.listener_start == ListenerStart::after_source_end) {
    start(Role::listener);
  }
}

void Harness::on_listener_connected(Socket socket) {
  m_result.listener_connected = true;
  note("listener: connected");
  m_listener = std::make_shared<HarnessListener>(
      std::move(socket), m_script, m_plan.slow_reader, m_plan.grace,
      [this](HarnessListener::End how, const ListenerReply* reply, std::error_code end_error) {
        on_listener_end(how, reply, end_error);
      });
  m_listener->start();
  if (m_result.source_finished) {
    m_listener->source_finished(m_source_finished_at);
  }
  if (m_plan.listener_start == ListenerStart::first) {
    start(Role::source);
  }
}

void Harness::on_listener_end(HarnessListener::End how, const ListenerReply* reply,
                              std::error_code error) {
  if (m_finished) {
    return;
  }
  const std::uint64_t bytes = m_listener->bytes_read();
  record_tail();
  switch (how) {
    case HarnessListener::End::replied:
      m_result.reply = *reply;
      m_result.elapsed = m_listener->decided_at() -
                         (m_result.source_connected ? m_source_connected_at : m_started);
      note(fmt::format("listener: replied after {} bytes", bytes));
      if (reply->stop_run || m_result.source_finished) {
        finish(HarnessResult::End::replied);
      } else {
        note("source: finishing its stream");
      }
      return;
    case HarnessListener::End::closed_by_peer:
      fail(
          fmt::format("the server closed the listener's connection{} after {} bytes, before "
                      "the verdict",
                      error == asio::error::eof ? "" : " (" + error.message() + ")", bytes));
      return;
    case HarnessListener::End::failed:
      fail(fmt::format("listener: connection failed after {} bytes: {}", bytes, error.message()));
      return;
  }
}

void Harness::record_tail() {
  if (!m_listener || !m_result.source_finished || m_result.tail) {
    return;
  }
  if (const std::optional<HarnessListener::Clock::time_point> complete =
          m_listener->complete_at()) {
    m_result.tail = *complete - m_source_finished_at;
  }
}

void Harness::fail(std::string error) {
  m_result.error = std::move(error);
  finish(HarnessResult::End::failed);
}

void Harness::finish(HarnessResult::End end) {
  if (m_finished) {
    return;
  }
  m_finished = true;
  m_result.end = end;
  record_tail();
  if (!m_result.reply || end != HarnessResult::End::replied) {
    m_result.elapsed = std::chrono::steady_clock::now() -
                       (m_result.source_connected ? m_source_connected_at : m_started);
  }
  for (const auto& dialer : {m_source_dialer, m_listener_dialer}) {
    if (dialer) {
      dialer->stop();
    }
  }
  if (m_source) {
    m_source->stop();
  }
  if (m_listener) {
    m_listener->stop();
  }
  std::error_code ignored;
  m_source_acceptor.close(ignored);
  m_listener_acceptor.close(ignored);
  m_timeout.cancel();
  m_delay.cancel();
  // A resolver may still be busy in its own thread; nothing after this point matters.
  m_io.stop();
}

void Harness::note(std::string_view text) const {
  if (m_note) {
    m_note(text);
  }
}

}  // namespace likematch::io
