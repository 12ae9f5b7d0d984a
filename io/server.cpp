#include "io/server.hpp"

#include <fmt/format.h>

#include <csignal>
#include <type_traits>
#include <utility>

#include "io/acceptor.hpp"
#include "io/dialer.hpp"
#include "io/endpoint.hpp"
#include "io/listener_connection.hpp"
#include "io/source_connection.hpp"

namespace likematch::io {

namespace {

constexpr std::chrono::milliseconds k_accept_pause{100};
// Before dialing again a port that accepted and closed: it is not ready, do not spin on it.
constexpr std::chrono::milliseconds k_redial_pause{50};

std::string describe_peer(const asio::ip::tcp::socket& socket) {
  std::error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  if (error) {
    return "unknown peer";
  }
  return format_endpoint(endpoint);
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options, ConnectionEvents& events)
    : m_io(io),
      m_options(std::move(options)),
      m_events(events),
      m_source_acceptor(io),
      m_listener_acceptor(io),
      m_signals(io),
      m_source_pause(io),
      m_listener_pause(io) {
  if (m_options.handle_signals) {
    m_signals.add(SIGINT);
    m_signals.add(SIGTERM);
    m_signals.async_wait([this](std::error_code error, int signal) {
      if (error == asio::error::operation_aborted) {
        return;
      }
      m_events.server_event({.kind = ServerEvent::Kind::signal_received, .signal = signal});
      stop();
    });
  }
}

Server::~Server() = default;

std::optional<std::string> Server::listen() {
  if (auto error = listen_pair({m_source_acceptor, m_listener_acceptor}, m_options.bind_address,
                               m_options.source_port, m_options.listener_port)) {
    return error;
  }
  do_accept(m_source_acceptor, Role::source);
  do_accept(m_listener_acceptor, Role::listener);
  std::error_code ignored;
  m_events.server_event(
      {.kind = ServerEvent::Kind::listening,
       .address = m_options.bind_address,
       .source_port = source_port(),
       .listener_port = listener_port(),
       .loopback = is_loopback(m_source_acceptor.local_endpoint(ignored).address())});
  return std::nullopt;
}

void Server::dial(const std::string& host, std::chrono::milliseconds timeout) {
  m_dial_host = host;
  m_dial_deadline = std::chrono::steady_clock::now() + timeout;
  for (const Role role : {Role::source, Role::listener}) {
    m_events.server_event(
        {.kind = ServerEvent::Kind::dialing,
         .role = role,
         .address = host,
         .port = role == Role::source ? m_options.source_port : m_options.listener_port});
    start_dialer(role, std::chrono::milliseconds(0));
  }
}

void Server::redial(Role role, const std::string& why) {
  if (m_stopped) {
    return;
  }
  if (std::chrono::steady_clock::now() + k_redial_pause >= m_dial_deadline) {
    m_events.dial_failed(role, why);
    return;
  }
  start_dialer(role, k_redial_pause);
}

void Server::start_dialer(Role role, std::chrono::milliseconds pause) {
  const std::uint16_t port = role == Role::source ? m_options.source_port : m_options.listener_port;
  auto dialer = std::make_shared<Dialer>(
      m_io, m_dial_host, port, m_dial_deadline,
      [this, port, role](std::error_code error, asio::ip::tcp::socket socket) {
        if (m_stopped) {
          return;
        }
        if (error) {
          m_events.dial_failed(
              role, fmt::format("cannot connect to {}: {}", format_endpoint(m_dial_host, port),
                                error.message()));
          return;
        }
        adopt(std::move(socket), role);
      });
  m_dialers.push_back(dialer);
  dialer->start(pause);
}

std::uint16_t Server::source_port() const {
  std::error_code error;
  return m_source_acceptor.local_endpoint(error).port();
}

std::uint16_t Server::listener_port() const {
  std::error_code error;
  return m_listener_acceptor.local_endpoint(error).port();
}

void Server::do_accept(asio::ip::tcp::acceptor& acceptor, Role role) {
  acceptor.async_accept(
      [this, &acceptor, role](std::error_code error, asio::ip::tcp::socket socket) {
        if (error == asio::error::operation_aborted || m_stopped || !acceptor.is_open()) {
          return;
        }
        if (!error) {
          adopt(std::move(socket), role);
          do_accept(acceptor, role);
          return;
        }
        // Out of descriptors, most likely: accepting again at once would only spin.
        m_events.server_event(
            {.kind = ServerEvent::Kind::accept_failed, .role = role, .error = error.message()});
        asio::steady_timer& pause = role == Role::source ? m_source_pause : m_listener_pause;
        pause.expires_after(k_accept_pause);
        pause.async_wait([this, &acceptor, role](std::error_code wait_error) {
          if (wait_error == asio::error::operation_aborted || m_stopped) {
            return;
          }
          do_accept(acceptor, role);
        });
      });
}

void Server::adopt(asio::ip::tcp::socket socket, Role role) {
  std::error_code ignored;
  // Each batch of matches is one write: send it now rather than wait for more.
  socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  const std::string peer = describe_peer(socket);
  if (!make_room(role, peer)) {
    socket.close(ignored);
    return;
  }
  const ConnectionId id = m_next_id++;
  if (role == Role::source) {
    m_silent_sources.insert(id);
    start(m_sources, peer,
          std::make_shared<SourceConnection>(
              std::move(socket), id, m_options.idle_timeout,
              SourceConnection::Callbacks{[this](ConnectionId from, std::string_view bytes) {
                                            m_silent_sources.erase(from);
                                            m_events.source_bytes(from, bytes);
                                          },
                                          [this](ConnectionId closed, const Closed& how) {
                                            m_silent_sources.erase(closed);
                                            m_sources.erase(closed);
                                            m_events.source_closed(closed, how);
                                          }}));
  } else {
    start(m_listeners, peer,
          std::make_shared<ListenerConnection>(
              std::move(socket), id,
              ListenerConnection::Callbacks{[this](ConnectionId from, std::string_view bytes) {
                                              m_events.listener_bytes(from, bytes);
                                            },
                                            [this](ConnectionId to, std::size_t chunks) {
                                              m_events.listener_written(to, chunks);
                                            },
                                            [this](ConnectionId closed, const Closed& how) {
                                              m_listeners.erase(closed);
                                              m_events.listener_closed(closed, how);
                                            }}));
  }
}

// What both roles do with a new connection once it is made: keep it, report it, start it.
template <typename Connection>
void Server::start(std::map<ConnectionId, std::shared_ptr<Connection>>& connections,
                   const std::string& peer, std::shared_ptr<Connection> connection) {
  const ConnectionId id = connection->id();
  connections.emplace(id, connection);
  if constexpr (std::is_same_v<Connection, SourceConnection>) {
    m_events.source_connected(id, peer);
  } else {
    m_events.listener_connected(id, peer);
  }
  connection->start();
}

// At the role's limit: a source connection that has sent nothing gives its place to the new
// one (it changed nothing, and a harness's source speaks at once); otherwise the new one is
// refused. Whether the new connection may be adopted.
bool Server::make_room(Role role, const std::string& peer) {
  const std::size_t open = role == Role::source ? m_sources.size() : m_listeners.size();
  const std::size_t limit = role == Role::source ? m_options.max_sources : m_options.max_listeners;
  if (open < limit) {
    return true;
  }
  if (role == Role::source && !m_silent_sources.empty()) {
    const ConnectionId oldest = *m_silent_sources.begin();
    m_events.server_event({.kind = ServerEvent::Kind::displaced,
                           .role = role,
                           .peer = peer,
                           .open = open,
                           .connection = oldest});
    m_silent_sources.erase(oldest);
    m_sources.at(oldest)->stop();
    m_sources.erase(oldest);
    m_events.source_closed(oldest, Closed{CloseReason::displaced, {}});
    return true;
  }
  m_events.server_event(
      {.kind = ServerEvent::Kind::refused, .role = role, .peer = peer, .open = open});
  return false;
}

void Server::send(ConnectionId listener, std::shared_ptr<const std::string> bytes) {
  if (auto it = m_listeners.find(listener); it != m_listeners.end()) {
    it->second->deliver(std::move(bytes));
  }
}

void Server::close(ConnectionId connection) {
  if (auto it = m_sources.find(connection); it != m_sources.end()) {
    it->second->stop();
    m_sources.erase(it);
    m_silent_sources.erase(connection);
  }
  if (auto it = m_listeners.find(connection); it != m_listeners.end()) {
    it->second->stop();
    m_listeners.erase(it);
  }
}

void Server::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_events.stopping();
  std::error_code ignored;
  m_source_acceptor.close(ignored);
  m_listener_acceptor.close(ignored);
  m_signals.cancel(ignored);
  m_source_pause.cancel();
  m_listener_pause.cancel();
  for (const auto& dialer : m_dialers) {
    dialer->stop();
  }
  m_dialers.clear();
  for (auto& [id, connection] : m_sources) {
    connection->stop();
  }
  for (auto& [id, connection] : m_listeners) {
    connection->stop();
  }
  m_sources.clear();
  m_listeners.clear();
}

}  // namespace likematch::io
