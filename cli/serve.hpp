#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/logging.hpp"
#include "cli/output.hpp"
#include "core/rules.hpp"

namespace CLI {
class App;
}

namespace spdlog {
class logger;
}

namespace likematch::cli {

struct ServeOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t source_port = 9090;  // 0: any free port (tests, demo)
  std::uint16_t listener_port = 9099;
  std::string connect_host;  // not empty: dial the harness instead of listening
  std::chrono::milliseconds connect_timeout{60'000};
  std::chrono::milliseconds idle_timeout{30'000};
  MatchRules rules;
  std::size_t max_line_length = 4096;
  std::size_t max_buffered = 50'000'000;
  std::size_t max_listeners = 64;
  std::size_t max_sources = 16;
  std::string log_level;  // empty: $LOG_LEVEL, else info
  LogFormat log_format = LogFormat::text;
  std::string summary_json;  // not empty: append each session's summary here as a JSON line
  std::string record_dir;    // not empty: record every session's source stream here
  // Tests only: how the recorder opens a file (see io::SessionRecorder::OpenFile).
  std::function<int(const std::string&)> open_recording;
};

void setup_serve(CLI::App& app, ServeOptions& options);
int run_serve(const ServeOptions& options, const Output& output = {});

// A logger on `output.err` at the level asked for (--log-level, else $LOG_LEVEL, else info).
// Throws std::invalid_argument for an unknown level name.
std::shared_ptr<spdlog::logger> make_serve_logger(const ServeOptions& options,
                                                  const Output& output);

// `serve` wired together on its own io_context, for run_serve, tests and `demo`: the ports are
// bound by the constructor (so they can be read before run(); see start_error()), run() blocks
// until stop() or, under --connect, until the session is judged.
class ServeInstance {
 public:
  ServeInstance(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger,
                bool handle_signals, const Output& output = {});
  ~ServeInstance();
  ServeInstance(const ServeInstance&) = delete;
  ServeInstance& operator=(const ServeInstance&) = delete;

  std::uint16_t source_port() const;
  std::uint16_t listener_port() const;
  // Why the ports could not be bound ("cannot listen on ..."); then run() returns 1 at once.
  const std::optional<std::string>& start_error() const;
  // The exit status: 0, or 1 when a --connect session failed or was judged ERROR.
  int run();
  // From any thread.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace likematch::cli
