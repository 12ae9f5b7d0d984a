#pragma once

#include <asio.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "io/connection_events.hpp"
#include "io/server_options.hpp"

namespace likematch::io {

class Dialer;
class ListenerConnection;
class SourceConnection;

// The transport of `likematch serve`: accepts (or, with dial(), makes) the source and listener
// connections on one io_context, reports what happens on them (and what its log tells, as
// ServerEvent values) to ConnectionEvents, and carries out send() and close(). Not thread-safe:
// call it from the io_context's thread (post to it).
class Server {
 public:
  Server(asio::io_context& io, ServerOptions options, ConnectionEvents& events);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds both ports and starts accepting. std::nullopt, or why not (listen_pair's words:
  // "cannot listen on 127.0.0.1:9099 (the Event Listener's port): bind: Address already in
  // use"); then nothing is open.
  [[nodiscard]] std::optional<std::string> listen();
  // Instead of listening: connects to HOST on both ports, each retried until `timeout`.
  void dial(const std::string& host, std::chrono::milliseconds timeout);
  // After dial(): the role's connection was not the harness's yet (a port that accepts and
  // closes before its service is up); dials that port again, until the same deadline, then
  // reports dial_failed with `why`.
  void redial(Role role, const std::string& why);

  // The ports actually bound (after listen()).
  std::uint16_t source_port() const;
  std::uint16_t listener_port() const;

  // Queues the chunk for the listener without copying it: the same chunk may go to many.
  void send(ConnectionId listener, std::shared_ptr<const std::string> bytes);
  void close(ConnectionId connection);
  // Closes the ports and every connection; the io_context's run() then returns.
  void stop();

 private:
  void do_accept(asio::ip::tcp::acceptor& acceptor, Role role);
  void start_dialer(Role role, std::chrono::milliseconds pause);
  void adopt(asio::ip::tcp::socket socket, Role role);
  bool make_room(Role role, const std::string& peer);
  template <typename Connection>
  void start(std::map<ConnectionId, std::shared_ptr<Connection>>& connections,
             const std::string& peer, std::shared_ptr<Connection> connection);

  asio::io_context& m_io;
  ServerOptions m_options;
  ConnectionEvents& m_events;
  asio::ip::tcp::acceptor m_source_acceptor;
  asio::ip::tcp::acceptor m_listener_acceptor;
  asio::signal_set m_signals;
  // One per acceptor: a pause after a failed accept, before the next.
  asio::steady_timer m_source_pause;
  asio::steady_timer m_listener_pause;
  std::vector<std::shared_ptr<Dialer>> m_dialers;
  std::string m_dial_host;
  std::chrono::steady_clock::time_point m_dial_deadline;
  std::map<ConnectionId, std::shared_ptr<SourceConnection>> m_sources;
  std::map<ConnectionId, std::shared_ptr<ListenerConnection>> m_listeners;
  std::set<ConnectionId> m_silent_sources;  // open sources that have sent no byte yet
  ConnectionId m_next_id = 1;
  bool m_stopped = false;
};

}  // namespace likematch::io
