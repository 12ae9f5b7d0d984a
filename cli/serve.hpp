#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/cluster_options.hpp"
#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "core/session/session_hub.hpp"
#include "io/server_options.hpp"

namespace CLI {
class App;
}

namespace spdlog {
class logger;
}

namespace likematch::cli {

struct ServeOptions {
  HubOptions hub;            // the rules, the engine's limits, the session policy's bounds
  io::ServerOptions server;  // where to listen, the connection limits, --idle-timeout
  std::string connect_host;  // not empty: dial the harness instead of listening
  std::chrono::milliseconds connect_timeout = io::k_connect_timeout;
  LogOptions log;
  ClusterOptions cluster;    // --jetstream: workers decide the matches (cli/serve_cluster.hpp)
  std::string summary_json;  // not empty: append each session's summary here as a JSON line
  std::string record_dir;    // not empty: record every session's source stream here
  // Tests only: how the recorder opens a file (see io::SessionRecorder::OpenFile).
  std::function<int(const std::string&)> open_recording;
};

void setup_serve(CLI::App& app, ServeOptions& options);
int run_serve(const ServeOptions& options, const Output& output = {});

// `serve` wired together on its own io_context (hidden here: this header does not include
// Asio), for run_serve, tests and `demo`: the ports are
// bound by the constructor (so they can be read before run(); see start_error()), run() blocks
// until stop() or, under --connect, until the session is judged.
class ServeInstance {
 public:
  // The ports are bound here; with options.server.handle_signals, SIGINT and SIGTERM stop it.
  ServeInstance(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger,
                const Output& output = {});
  ~ServeInstance();
  ServeInstance(const ServeInstance&) = delete;
  ServeInstance& operator=(const ServeInstance&) = delete;

  std::uint16_t source_port() const;
  std::uint16_t listener_port() const;
  // Why the ports could not be bound ("cannot listen on ..."); then run() returns 1 at once.
  const std::optional<std::string>& start_error() const;
  // The exit status: 0; under --connect 1 when the session was judged ERROR, 3 when no verdict
  // came (a port never accepted, a peer left first).
  int run();
  // From any thread.
  void stop();
  // From any thread: waits until `count` sessions have been summarised (each is final then,
  // its verdict read and logged), at most `timeout`. Whether they were.
  bool wait_for_summaries(std::uint64_t count, std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace likematch::cli
