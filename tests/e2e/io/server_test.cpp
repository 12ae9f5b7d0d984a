// io::Server on its own: a recording ConnectionEvents, raw loopback peers, no hub.
#include "io/server.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/loopback.hpp"

namespace likematch::test {
namespace {

using io::Closed;
using io::CloseReason;
using io::ConnectionId;
using io::Role;
using io::ServerEvent;

// Everything the server reported, from its thread; the test waits on it, boundedly.
class RecordingEvents : public io::ConnectionEvents {
 public:
  struct Connection {
    Role role;
    std::string peer;
    std::string bytes;
    std::optional<Closed> closed;
    std::size_t written = 0;  // chunks
  };

  void source_connected(ConnectionId id, const std::string& peer) override {
    update([&] { m_connections[id] = Connection{Role::source, peer, {}, {}, 0}; });
  }
  void source_bytes(ConnectionId id, std::string_view bytes) override {
    update([&] { m_connections.at(id).bytes.append(bytes); });
  }
  void source_closed(ConnectionId id, const Closed& how) override {
    update([&] { m_connections.at(id).closed = how; });
  }
  void listener_connected(ConnectionId id, const std::string& peer) override {
    update([&] { m_connections[id] = Connection{Role::listener, peer, {}, {}, 0}; });
  }
  void listener_bytes(ConnectionId id, std::string_view bytes) override {
    update([&] { m_connections.at(id).bytes.append(bytes); });
  }
  void listener_written(ConnectionId id, std::size_t chunks) override {
    update([&] { m_connections.at(id).written += chunks; });
  }
  void listener_closed(ConnectionId id, const Closed& how) override {
    update([&] { m_connections.at(id).closed = how; });
  }
  void dial_failed(Role role, const std::string& reason) override {
    update([&] { m_dial_failures.emplace_back(role, reason); });
  }
  void stopping() override {
    update([&] { ++m_stopping; });
  }
  void server_event(const ServerEvent& event) override {
    update([&] { m_server_events.push_back(event); });
  }

  // Waits until done(connections) holds; false after k_wait.
  bool wait(const std::function<bool(const std::map<ConnectionId, Connection>&)>& done) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, k_wait, [&] { return done(m_connections); });
  }
  // The only connection of `role`, once there is one; 0 if none came in time.
  ConnectionId wait_connected(Role role, std::size_t count = 1) {
    ConnectionId found = 0;
    wait([&](const auto& connections) {
      std::size_t seen = 0;
      for (const auto& [id, connection] : connections) {
        if (connection.role == role && ++seen == count) {
          found = id;
        }
      }
      return found != 0;
    });
    return found;
  }
  bool wait_closed(ConnectionId id) {
    return wait([id](const auto& connections) {
      const auto it = connections.find(id);
      return it != connections.end() && it->second.closed.has_value();
    });
  }
  bool wait_bytes(ConnectionId id, std::size_t size) {
    return wait([id, size](const auto& connections) {
      const auto it = connections.find(id);
      return it != connections.end() && it->second.bytes.size() >= size;
    });
  }

  Connection connection(ConnectionId id) {
    std::lock_guard lock(m_mutex);
    return m_connections.at(id);
  }
  std::size_t count() {
    std::lock_guard lock(m_mutex);
    return m_connections.size();
  }
  std::vector<std::pair<Role, std::string>> dial_failures() {
    std::lock_guard lock(m_mutex);
    return m_dial_failures;
  }
  bool wait_dial_failures(std::size_t count) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, k_wait, [&] { return m_dial_failures.size() >= count; });
  }
  std::vector<ServerEvent> server_events() {
    std::lock_guard lock(m_mutex);
    return m_server_events;
  }
  // Waits until done(server events) holds; false after k_wait.
  bool wait_server_events(const std::function<bool(const std::vector<ServerEvent>&)>& done) {
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, k_wait, [&] { return done(m_server_events); });
  }
  // The first reported ServerEvent of `kind`, once there is one; nullopt if none came in time.
  std::optional<ServerEvent> wait_server_event(ServerEvent::Kind kind) {
    std::optional<ServerEvent> found;
    wait_server_events([&](const std::vector<ServerEvent>& events) {
      for (const ServerEvent& event : events) {
        if (event.kind == kind) {
          found = event;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  int stopping_count() {
    std::lock_guard lock(m_mutex);
    return m_stopping;
  }

 private:
  template <typename F>
  void update(F change) {
    {
      std::lock_guard lock(m_mutex);
      change();
    }
    m_changed.notify_all();
  }

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<ConnectionId, Connection> m_connections;
  std::vector<std::pair<Role, std::string>> m_dial_failures;
  std::vector<ServerEvent> m_server_events;
  int m_stopping = 0;
};

io::ServerOptions loopback_options() {
  io::ServerOptions options;
  options.source_port = 0;
  options.listener_port = 0;
  options.handle_signals = false;
  return options;
}

// An io::Server on its own io_context in its own thread; calls go through on_io().
class ServerRun {
 public:
  explicit ServerRun(io::ServerOptions options = loopback_options(), bool listen = true)
      : m_server(m_io, std::move(options), m_events) {
    if (listen) {
      m_listen_error = m_server.listen();
    }
  }
  ~ServerRun() {
    if (m_thread.joinable()) {
      asio::post(m_io, [this] { m_server.stop(); });
      m_thread.join();
    }
  }

  void start() {
    m_thread = std::thread([this] { m_io.run(); });
  }

  // Runs `call` on the server's thread and returns its result (waits at most k_wait).
  template <typename F>
  auto on_io(F call) {
    using Result = decltype(call());
    auto task = std::make_shared<std::packaged_task<Result()>>(std::move(call));
    std::future<Result> result = task->get_future();
    asio::post(m_io, [task] { (*task)(); });
    if (result.wait_for(k_wait) != std::future_status::ready) {
      FAIL("the server's thread did not run the call in time");
    }
    return result.get();
  }

  // Waits for the server's thread to end by itself (after stop()); false if it did not.
  bool join() {
    auto done = std::async(std::launch::async, [this] { m_thread.join(); });
    return done.wait_for(k_wait) == std::future_status::ready;
  }

  io::Server& server() { return m_server; }
  RecordingEvents& events() { return m_events; }
  const std::optional<std::string>& listen_error() const { return m_listen_error; }
  Peer source() { return Peer::connect(m_server.source_port()); }
  Peer listener() { return Peer::connect(m_server.listener_port()); }

 private:
  asio::io_context m_io;
  RecordingEvents m_events;
  io::Server m_server;
  std::optional<std::string> m_listen_error;
  std::thread m_thread;
};

}  // namespace

TEST_CASE("server: a source's connection, its bytes, and end of stream as peer_closed",
          "[io][server]") {
  ServerRun run;
  REQUIRE(run.listen_error() == std::nullopt);
  run.start();
  Peer source = run.source();
  const ConnectionId id = run.events().wait_connected(Role::source);
  REQUIRE(id != 0);
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_"));
  REQUIRE(source.send("LIKED|1|2\n"));
  source.shutdown_write();
  REQUIRE(run.events().wait_closed(id));
  const auto connection = run.events().connection(id);
  CHECK(connection.peer.starts_with("127.0.0.1:"));
  CHECK(connection.bytes == "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  CHECK(connection.closed->reason == CloseReason::peer_closed);
  CHECK(source.wait_closed());
}

TEST_CASE("server: a listener's bytes as they come, and a reset as failed", "[io][server]") {
  ServerRun run;
  run.start();
  Peer listener = run.listener();
  const ConnectionId id = run.events().wait_connected(Role::listener);
  REQUIRE(id != 0);
  REQUIRE(listener.send("MATCH BEGIN\nMATCH END"));
  REQUIRE(run.events().wait_bytes(id, 21));
  listener.reset();
  REQUIRE(run.events().wait_closed(id));
  const auto connection = run.events().connection(id);
  CHECK(connection.bytes == "MATCH BEGIN\nMATCH END");
  CHECK(connection.closed->reason == CloseReason::failed);
  CHECK_FALSE(connection.closed->detail.empty());
}

TEST_CASE("server: a silent source is closed as idle, and the caller is told", "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.idle_timeout = std::chrono::milliseconds(50);
  ServerRun run(options);
  run.start();
  Peer source = run.source();
  const ConnectionId id = run.events().wait_connected(Role::source);
  REQUIRE(run.events().wait_closed(id));
  CHECK(run.events().connection(id).closed->reason == CloseReason::idle);
  CHECK(source.wait_closed());
  // The reason reaches the caller through the close alone: no other event tells it.
  for (const ServerEvent& event : run.events().server_events()) {
    CHECK(event.kind == ServerEvent::Kind::listening);
  }
}

TEST_CASE("server: refuses a connection past max_sources or max_listeners, as a server event",
          "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.max_sources = 1;
  options.max_listeners = 2;
  ServerRun run(options);
  run.start();
  Peer source = run.source();
  const ConnectionId source_id = run.events().wait_connected(Role::source);
  REQUIRE(source_id != 0);
  // One that has spoken keeps its place.
  REQUIRE(source.send("x"));
  REQUIRE(run.events().wait_bytes(source_id, 1));
  Peer refused_source = run.source();
  CHECK(refused_source.wait_closed());
  const auto refused = run.events().wait_server_event(ServerEvent::Kind::refused);
  REQUIRE(refused);
  CHECK(refused->role == Role::source);
  CHECK(refused->peer.starts_with("127.0.0.1:"));
  CHECK(refused->open == 1);

  Peer first = run.listener();
  REQUIRE(run.events().wait_connected(Role::listener) != 0);
  Peer second = run.listener();
  REQUIRE(run.events().wait_connected(Role::listener, 2) != 0);
  Peer refused_listener = run.listener();
  CHECK(refused_listener.wait_closed());
  CHECK(run.events().wait_server_events([](const std::vector<ServerEvent>& events) {
    return std::count_if(events.begin(), events.end(), [](const ServerEvent& event) {
             return event.kind == ServerEvent::Kind::refused && event.role == Role::listener &&
                    event.open == 2;
           }) == 1;
  }));
  CHECK(run.events().count() == 3);

  // A place that frees up is taken again.
  source.close();
  REQUIRE(run.events().wait_closed(source_id));
  Peer again = run.source();
  CHECK(run.events().wait_connected(Role::source, 2) != 0);
}

TEST_CASE("server: at max_sources, a new source takes the place of the oldest silent one",
          "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.max_sources = 2;
  ServerRun run(options);
  run.start();
  Peer silent = run.source();
  const ConnectionId silent_id = run.events().wait_connected(Role::source);
  Peer talker = run.source();
  const ConnectionId talker_id = run.events().wait_connected(Role::source, 2);
  REQUIRE(talker.send("E"));
  REQUIRE(run.events().wait_bytes(talker_id, 1));
  Peer newcomer = run.source();
  REQUIRE(run.events().wait_connected(Role::source, 3) != 0);
  // The silent one is closed, and reported as displaced; the one that spoke stays.
  CHECK(silent.wait_closed());
  REQUIRE(run.events().wait_closed(silent_id));
  CHECK(run.events().connection(silent_id).closed->reason == CloseReason::displaced);
  CHECK_FALSE(run.events().connection(talker_id).closed);
  const auto displaced = run.events().wait_server_event(ServerEvent::Kind::displaced);
  REQUIRE(displaced);
  CHECK(displaced->connection == silent_id);
  CHECK(displaced->peer.starts_with("127.0.0.1:"));
  CHECK(displaced->open == 2);
}

TEST_CASE("server: reports a listener's chunks written once its peer took them", "[io][server]") {
  ServerRun run;
  run.start();
  Peer listener = run.listener();
  const ConnectionId id = run.events().wait_connected(Role::listener);
  REQUIRE(id != 0);
  const auto chunk = std::make_shared<const std::string>("1\n");
  run.on_io([&] {
    run.server().send(id, chunk);
    run.server().send(id, chunk);
    return 0;
  });
  REQUIRE(listener.read_size(4));
  CHECK(
      run.events().wait([id](const auto& connections) { return connections.at(id).written == 2; }));
}

TEST_CASE("server: sends one shared chunk to several listeners, uncopied", "[io][server]") {
  ServerRun run;
  run.start();
  std::vector<Peer> listeners;
  std::vector<ConnectionId> ids;
  for (std::size_t i = 1; i <= 3; ++i) {
    listeners.push_back(run.listener());
    ids.push_back(run.events().wait_connected(Role::listener, i));
    REQUIRE(ids.back() != 0);
  }
  auto chunk = std::make_shared<const std::string>("4\n7\n");
  const long held = run.on_io([&] {
    for (const ConnectionId id : ids) {
      run.server().send(id, chunk);
    }
    run.server().send(9999, chunk);  // no such listener: ignored
    return chunk.use_count();
  });
  // Each listener holds the chunk itself until it is written.
  CHECK(held == 4);
  for (Peer& listener : listeners) {
    REQUIRE(listener.read_size(4));
    CHECK(listener.received == "4\n7\n");
  }
  // Written: let go of.
  const auto deadline = std::chrono::steady_clock::now() + k_wait;
  while (run.on_io([&] { return chunk.use_count(); }) != 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(2ms);
  }
  CHECK(chunk.use_count() == 1);
}

TEST_CASE("server: close() closes a connection and does not report it", "[io][server]") {
  ServerRun run;
  run.start();
  Peer source = run.source();
  const ConnectionId source_id = run.events().wait_connected(Role::source);
  Peer listener = run.listener();
  const ConnectionId listener_id = run.events().wait_connected(Role::listener);
  run.on_io([&] {
    run.server().close(source_id);
    run.server().close(listener_id);
    run.server().send(listener_id, std::make_shared<const std::string>("4\n"));  // ignored
    return 0;
  });
  CHECK(source.wait_closed());
  CHECK(listener.wait_closed());
  CHECK(listener.received.empty());
  // Whatever the closed connections' handlers had pending has run by now.
  run.on_io([] { return 0; });
  CHECK_FALSE(run.events().connection(source_id).closed);
  CHECK_FALSE(run.events().connection(listener_id).closed);
}

TEST_CASE("server: stop() closes the ports and every connection, unreported", "[io][server]") {
  ServerRun run;
  run.start();
  const std::uint16_t source_port = run.server().source_port();
  Peer source = run.source();
  const ConnectionId source_id = run.events().wait_connected(Role::source);
  Peer listener = run.listener();
  const ConnectionId listener_id = run.events().wait_connected(Role::listener);
  run.on_io([&] {
    run.server().stop();
    return 0;
  });
  CHECK(source.wait_closed());
  CHECK(listener.wait_closed());
  // Nothing is left for the io_context: its run() returns.
  CHECK(run.join());
  CHECK(run.events().stopping_count() == 1);
  CHECK_FALSE(run.events().connection(source_id).closed);
  CHECK_FALSE(run.events().connection(listener_id).closed);
  CHECK_THROWS(Peer::connect(source_port));
}

TEST_CASE("server: listen() says why it cannot, and leaves nothing open", "[io][server]") {
  Listening taken;
  io::ServerOptions options = loopback_options();
  options.listener_port = taken.port();
  ServerRun run(options);
  REQUIRE(run.listen_error());
  // The port that is taken, and whose it is.
  CHECK(*run.listen_error() ==
        fmt::format("cannot listen on 127.0.0.1:{} (Event Listeners): bind: {}", taken.port(),
                    std::make_error_code(std::errc::address_in_use).message()));
  CHECK(run.server().source_port() == 0);
}

TEST_CASE("server: one port for both roles is refused, naming the conflict", "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.source_port = 25190;
  options.listener_port = 25190;
  ServerRun run(options);
  CHECK(run.listen_error() ==
        std::optional<std::string>("cannot listen: the Event Source and the Event Listeners "
                                   "cannot share port 25190"));
}

TEST_CASE("server: --bind takes a name, as --connect does", "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.bind_address = "localhost";
  ServerRun run(options);
  REQUIRE_FALSE(run.listen_error());
  CHECK(run.server().source_port() != 0);
  CHECK(run.server().listener_port() != 0);
}

TEST_CASE("server: describes an IPv6 peer in brackets", "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.bind_address = "::1";
  ServerRun run(options);
  if (run.listen_error()) {
    WARN("no IPv6 loopback here: " << *run.listen_error());
    return;
  }
  run.start();
  asio::io_context io;
  asio::ip::tcp::socket peer(io);
  std::error_code error;
  peer.connect({asio::ip::address_v6::loopback(), run.server().source_port()}, error);
  REQUIRE_FALSE(error);
  const ConnectionId id = run.events().wait_connected(Role::source);
  REQUIRE(id != 0);
  CHECK(run.events().connection(id).peer ==
        fmt::format("[::1]:{}", peer.local_endpoint(error).port()));
  const auto listening = run.events().wait_server_event(ServerEvent::Kind::listening);
  REQUIRE(listening);
  CHECK(listening->address == "::1");
  CHECK(listening->source_port == run.server().source_port());
  CHECK(listening->listener_port == run.server().listener_port());
  CHECK(listening->loopback);
}

TEST_CASE("server: dial() connects to both ports and reports the connections", "[io][server]") {
  Listening source_side;
  Listening listener_side;
  io::ServerOptions options = loopback_options();
  options.source_port = source_side.port();
  options.listener_port = listener_side.port();
  ServerRun run(options, /*listen=*/false);
  run.server().dial("127.0.0.1", k_wait);
  run.start();
  Peer source = source_side.accept();
  Peer listener = listener_side.accept();
  const ConnectionId source_id = run.events().wait_connected(Role::source);
  const ConnectionId listener_id = run.events().wait_connected(Role::listener);
  REQUIRE(source_id != 0);
  REQUIRE(listener_id != 0);
  REQUIRE(source.send("EVENT BEGIN\n"));
  REQUIRE(listener.send("MATCH BEGIN\n"));
  CHECK(run.events().wait_bytes(source_id, 12));
  CHECK(run.events().wait_bytes(listener_id, 12));
  CHECK(run.events().dial_failures().empty());
  const auto dialing = run.events().wait_server_event(ServerEvent::Kind::dialing);
  REQUIRE(dialing);
  CHECK(dialing->address == "127.0.0.1");
  CHECK(dialing->role == Role::source);  // the source's port first
  CHECK(dialing->port == source_side.port());
}

TEST_CASE("server: dial() gives up at the deadline and says why, for each port", "[io][server]") {
  io::ServerOptions options = loopback_options();
  options.source_port = unused_port();
  options.listener_port = unused_port();
  ServerRun run(options, /*listen=*/false);
  run.server().dial("127.0.0.1", std::chrono::milliseconds(200));
  run.start();
  REQUIRE(run.events().wait_dial_failures(2));
  const auto failures = run.events().dial_failures();
  const std::string refused = std::make_error_code(std::errc::connection_refused).message();
  for (const auto& [role, reason] : failures) {
    const std::uint16_t port = role == Role::source ? options.source_port : options.listener_port;
    CHECK(reason == fmt::format("cannot connect to 127.0.0.1:{}: {}", port, refused));
  }
  CHECK(failures[0].first != failures[1].first);
  CHECK(run.events().count() == 0);
}

TEST_CASE("roles have words for the log", "[io][server]") {
  CHECK(io::to_string(Role::source) == "source");
  CHECK(io::to_string(Role::listener) == "listener");
}

}  // namespace likematch::test
