#include "io/server.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <utility>

#include "io/acceptor.hpp"
#include "io/dialer.hpp"
#include "io/endpoint.hpp"
#include "io/listener_connection.hpp"
#include "io/source_connection.hpp"

namespace likematch::io {

namespace {

constexpr std::chrono::milliseconds k_accept_pause{100};

std::string describe_peer(const asio::ip::tcp::socket& socket) {
  std::error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  if (error) {
    return "unknown peer";
  }
  return format_endpoint(endpoint);
}

}  // namespace

Server::Server(asio::io_context& io, ServerOptions options, ConnectionEvents& events,
               spdlog::logger& logger)
    : m_io(io),
      m_options(std::move(options)),
      m_events(events),
      m_logger(logger),
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
      m_logger.info("{} received, stopping", signal == SIGINT ? "SIGINT" : "SIGTERM");
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
  // The protocol has no authentication: said in the line the operator reads for the ports. Not
  // a warning: only an explicit --bind leaves loopback, and a container's every start would
  // warn about what its command asks for.
  const bool loopback = is_loopback(m_source_acceptor.local_endpoint(ignored).address());
  m_logger.info("listening: Event Source on {}, Event Listeners on {}{}",
                format_endpoint(m_options.bind_address, source_port()),
                format_endpoint(m_options.bind_address, listener_port()),
                loopback ? ""
                         : " (not loopback: any host that reaches it can send events and "
                           "read matches)");
  return std::nullopt;
}

void Server::dial(const std::string& host, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (auto [port, role] : {std::pair{m_options.source_port, Role::source},
                            std::pair{m_options.listener_port, Role::listener}}) {
    m_logger.info("connecting to the Event {} at {}", role == Role::source ? "Source" : "Listener",
                  format_endpoint(host, port));
    auto dialer = std::make_shared<Dialer>(
        m_io, host, port, deadline,
        [this, host, port, role](std::error_code error, asio::ip::tcp::socket socket) {
          if (m_stopped) {
            return;
          }
          if (error) {
            m_events.dial_failed(role, fmt::format("cannot connect to {}: {}",
                                                   format_endpoint(host, port), error.message()));
            return;
          }
          adopt(std::move(socket), role);
        });
    m_dialers.push_back(dialer);
    dialer->start();
  }
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
        m_logger.warn("accepting a {} connection failed: {}", to_string(role), error.message());
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
  const std::size_t open = role == Role::source ? m_sources.size() : m_listeners.size();
  const std::size_t limit = role == Role::source ? m_options.max_sources : m_options.max_listeners;
  if (open >= limit) {
    m_logger.warn("{} connection from {} refused: {} already open (--max-{}s)", to_string(role),
                  peer, open, to_string(role));
    socket.close(ignored);
    return;
  }
  const ConnectionId id = m_next_id++;
  if (role == Role::source) {
    auto connection = std::make_shared<SourceConnection>(
        std::move(socket), id, m_options.idle_timeout,
        SourceConnection::Callbacks{[this](ConnectionId from, std::string_view bytes) {
                                      m_events.source_bytes(from, bytes);
                                    },
                                    [this](ConnectionId closed, const Closed& how) {
                                      m_sources.erase(closed);
                                      m_events.source_closed(closed, how);
                                    }});
    m_sources.emplace(id, connection);
    m_events.source_connected(id, peer);
    connection->start();
  } else {
    auto connection = std::make_shared<ListenerConnection>(
        std::move(socket), id,
        ListenerConnection::Callbacks{[this](ConnectionId from, std::string_view bytes) {
                                        m_events.listener_bytes(from, bytes);
                                      },
                                      [this](ConnectionId closed, const Closed& how) {
                                        m_listeners.erase(closed);
                                        m_events.listener_closed(closed, how);
                                      }});
    m_listeners.emplace(id, connection);
    m_events.listener_connected(id, peer);
    connection->start();
  }
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
