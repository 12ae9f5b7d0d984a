#include "cli/serve.hpp"

#include <fmt/format.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>

#include "cli/exit_status.hpp"
#include "cli/rule_options.hpp"
#include "cli/shared_options.hpp"
#include "cli/validators.hpp"
#include "core/line_splitter.hpp"
#include "core/session_hub.hpp"
#include "core/session_json.hpp"
#include "io/append_file.hpp"
#include "io/server.hpp"
#include "io/session_recorder.hpp"

namespace likematch::cli {

namespace {

spdlog::level::level_enum to_spdlog(Severity severity) {
  switch (severity) {
    case Severity::debug:
      return spdlog::level::debug;
    case Severity::info:
      return spdlog::level::info;
    case Severity::warn:
      return spdlog::level::warn;
  }
  return spdlog::level::info;
}

HubOptions hub_options(const ServeOptions& options) {
  HubOptions hub;
  hub.engine.rules = options.rules;
  hub.engine.max_line_length = options.max_line_length;
  hub.engine.max_buffered = options.max_buffered;
  // No observe_events: naming the event that withdrew a like would cost about 10% more
  // instructions per event (callgrind, 1M events); the diagnosis says "took the like back".
  return hub;
}

// The longest line a listener may send ("MATCH END - ERROR" is 17 bytes): a longer one means
// the framing is broken, and the listener is closed.
constexpr std::size_t k_max_listener_line = 4096;

std::chrono::milliseconds from_seconds(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

}  // namespace

// The wiring: the server's connection events go to the hub, the hub's actions go to the server
// and the logger. Under --connect it also watches for the one session's verdict.
class ServeInstance::Impl : public HubActions, public io::ConnectionEvents {
 public:
  Impl(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger, bool handle_signals,
       const Output& output)
      : m_logger(std::move(logger)),
        m_output(output),
        m_idle_timeout(options.idle_timeout),
        m_summary_json(options.summary_json),
        m_recorder(make_recorder(options)),
        m_connect(!options.connect_host.empty()),
        m_hub(hub_options(options), *this),
        m_server(m_io,
                 io::ServerOptions{options.bind_address, options.source_port, options.listener_port,
                                   options.idle_timeout, handle_signals, options.max_listeners,
                                   options.max_sources},
                 *this, *m_logger) {
    if (m_connect) {
      m_server.dial(options.connect_host, options.connect_timeout);
    } else {
      m_start_error = m_server.listen();
    }
  }

  const std::optional<std::string>& start_error() const { return m_start_error; }

  std::uint16_t source_port() const { return m_server.source_port(); }
  std::uint16_t listener_port() const { return m_server.listener_port(); }

  int run() {
    if (m_start_error) {
      return k_exit_failure;
    }
    m_io.run();
    return m_status;
  }

  void stop() {
    asio::post(m_io, [this] { m_server.stop(); });
  }

  // HubActions
  void send(ConnectionId listener, std::string_view bytes) override {
    // One copy per send until the hub hands out shared chunks itself.
    m_server.send(listener, std::make_shared<const std::string>(bytes));
  }
  void close(ConnectionId connection) override {
    m_server.close(connection);
    m_listener_lines.erase(connection);
    if (m_recorder) {
      record(m_recorder->closed(connection));
    }
  }
  void log(Severity severity, std::string text) override {
    m_logger->log(to_spdlog(severity), text);
  }
  void verdict(ConnectionId listener, Verdict verdict, const SessionReport& report) override {
    log_with_fields(
        *m_logger, verdict == Verdict::ok ? spdlog::level::info : spdlog::level::err,
        fmt::format("listener {}: {} for {}", listener, to_string(verdict), format_summary(report)),
        fmt::format(R"("listener":{},{})", listener, session_json_fields(report)));
    if (m_connect && m_verdict == Verdict::none) {
      m_verdict = verdict;
      fmt::print(m_output.out, "{}\n", to_string(verdict));
      std::fflush(m_output.out);
    }
  }
  void summary(const SessionReport& report) override {
    const std::string fields = session_json_fields(report);
    log_with_fields(*m_logger, spdlog::level::info, format_summary(report), fields);
    if (!m_summary_json.empty()) {
      if (const auto error = io::append_to_file(m_summary_json, fmt::format("{{{}}}\n", fields))) {
        m_logger->error("--summary-json: {}", *error);
      }
    }
    if (m_connect && m_verdict != Verdict::none) {
      finish(m_verdict == Verdict::ok ? k_exit_ok : k_exit_failure);
    }
  }

  // io::ConnectionEvents
  void source_connected(io::ConnectionId id, const std::string& peer) override {
    m_logger->info("source {} connected from {}", id, peer);
    m_hub.source_connected(id);
  }
  void source_bytes(io::ConnectionId id, std::string_view bytes) override {
    if (!m_recorder) {
      m_hub.source_bytes(id, bytes);
      return;
    }
    record(m_recorder->append(id, bytes));
    m_hub.source_bytes(id, bytes);
    const SessionReport* current = m_hub.current();
    if (current == nullptr || current->source != id) {
      return;
    }
    if (!m_recorder->recording(id)) {
      record(m_recorder->begin(id, current->session, std::chrono::system_clock::now()));
      m_logger->info("session {}: recording to {}", current->session, m_recorder->path(id));
    }
    if (current->end) {
      record(m_recorder->end(id));
    }
  }
  void source_closed(io::ConnectionId id, const io::Closed& how) override {
    const bool idle = how.reason == io::CloseReason::idle;
    if (idle) {
      m_logger->warn("source {} silent for {} ms, closed", id, m_idle_timeout.count());
    }
    m_hub.source_closed(id, idle ? SourceClose::idle_timeout : SourceClose::closed);
    if (m_recorder) {
      record(m_recorder->closed(id));
    }
    if (m_connect && m_hub.sessions_started() == 0) {
      m_logger->error("the Event Source closed before sending any event");
      finish(k_exit_failure);
    }
  }
  void listener_connected(io::ConnectionId id, const std::string& peer) override {
    m_logger->info("listener {} connected from {}", id, peer);
    m_listener_lines.emplace(id, std::make_shared<LineSplitter>(k_max_listener_line));
    m_hub.listener_connected(id);
  }
  void listener_bytes(io::ConnectionId id, std::string_view bytes) override {
    const auto it = m_listener_lines.find(id);
    if (it == m_listener_lines.end()) {
      return;
    }
    // Held here: the hub may close the listener, and so drop its splitter, in the middle.
    const std::shared_ptr<LineSplitter> lines = it->second;
    lines->feed(
        bytes, [&](std::string_view line, std::uint64_t) { listener_line(id, line); },
        [&](std::uint64_t, std::uint64_t) {
          if (m_listener_lines.contains(id)) {
            m_logger->info("listener {} sent a line longer than {} bytes, closed", id,
                           k_max_listener_line);
            m_server.close(id);
            listener_gone(id);
          }
        });
  }
  void listener_closed(io::ConnectionId id, const io::Closed& how) override {
    const auto it = m_listener_lines.find(id);
    if (it != m_listener_lines.end() && how.reason == io::CloseReason::peer_closed) {
      // A last line without its '\n' still counts.
      const std::shared_ptr<LineSplitter> lines = it->second;
      lines->finish([&](std::string_view line, std::uint64_t) { listener_line(id, line); },
                    [](std::uint64_t, std::uint64_t) {});
    }
    listener_gone(id);
  }
  void dial_failed(io::Role, const std::string& reason) override {
    m_logger->error("{}", reason);
    finish(k_exit_failure);
  }
  void stopping() override {
    m_hub.shutdown();
    if (m_recorder) {
      m_recorder->end_all();
    }
  }

 private:
  static std::unique_ptr<io::SessionRecorder> make_recorder(const ServeOptions& options) {
    if (options.record_dir.empty()) {
      return nullptr;
    }
    std::filesystem::create_directories(options.record_dir);
    return std::make_unique<io::SessionRecorder>(options.record_dir, options.open_recording);
  }

  // Until the hub takes a listener's bytes itself, its lines are found here.
  void listener_line(io::ConnectionId id, std::string_view line) {
    if (m_listener_lines.contains(id)) {
      m_hub.listener_line(id, line);
    }
  }

  // The listener's connection ended, by itself or for an overlong line.
  void listener_gone(io::ConnectionId id) {
    m_listener_lines.erase(id);
    m_hub.listener_closed(id);
    if (m_connect && m_verdict == Verdict::none) {
      m_logger->error("the Event Listener closed without a verdict");
      finish(k_exit_failure);
    }
  }

  // A recording that fails is logged; the session goes on.
  void record(const std::optional<std::string>& error) {
    if (error) {
      m_logger->error("--record: {}", *error);
    }
  }

  // --connect: the one session is over; stop outside the hub's call that got us here.
  void finish(int status) {
    if (m_finished) {
      return;
    }
    m_finished = true;
    m_status = status;
    stop();
  }

  asio::io_context m_io;
  std::shared_ptr<spdlog::logger> m_logger;
  Output m_output;
  std::chrono::milliseconds m_idle_timeout;
  std::string m_summary_json;
  std::unique_ptr<io::SessionRecorder> m_recorder;
  bool m_connect;
  SessionHub m_hub;
  io::Server m_server;
  // Each open listener's line splitter (see listener_bytes).
  std::map<io::ConnectionId, std::shared_ptr<LineSplitter>> m_listener_lines;
  Verdict m_verdict = Verdict::none;
  std::optional<std::string> m_start_error;
  int m_status = k_exit_ok;
  bool m_finished = false;
};

ServeInstance::ServeInstance(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger,
                             bool handle_signals, const Output& output)
    : m_impl(std::make_unique<Impl>(options, std::move(logger), handle_signals, output)) {}

ServeInstance::~ServeInstance() = default;

std::uint16_t ServeInstance::source_port() const {
  return m_impl->source_port();
}

std::uint16_t ServeInstance::listener_port() const {
  return m_impl->listener_port();
}

const std::optional<std::string>& ServeInstance::start_error() const {
  return m_impl->start_error();
}

int ServeInstance::run() {
  return m_impl->run();
}

void ServeInstance::stop() {
  m_impl->stop();
}

std::shared_ptr<spdlog::logger> make_serve_logger(const ServeOptions& options,
                                                  const Output& output) {
  return make_logger(LogOptions{options.log_level, options.log_format}, output);
}

void setup_serve(CLI::App& app, ServeOptions& options) {
  app.description(
      "Match like events from an Event Source for Event Listeners over TCP, as the challenge's "
      "harness expects: listen on two ports (default), or dial the harness with --connect.");
  app.footer(
      "Examples:\n"
      "  likematch serve                          # listen on 127.0.0.1:9090 and :9099\n"
      "  likematch serve --bind 0.0.0.0 --record sessions/\n"
      "  likematch serve --connect localhost      # dial a harness that listens; exit 0 on OK\n"
      "  LOG_LEVEL=debug likematch serve --log-format json --summary-json summaries.jsonl");
  app.add_option("--bind", options.bind_address, "Address to listen on (0.0.0.0: every interface)")
      ->type_name("ADDR")
      ->capture_default_str();
  app.add_option("--source-port", options.source_port,
                 "Port of the Event Source (listened on, or dialed with --connect)")
      ->type_name("PORT")
      ->capture_default_str();
  app.add_option("--listener-port", options.listener_port,
                 "Port of the Event Listeners (listened on, or dialed with --connect)")
      ->type_name("PORT")
      ->capture_default_str();
  app.add_option("--connect", options.connect_host,
                 "Dial HOST's two ports instead of listening, run one session, print the "
                 "listener's verdict; exit 0 on MATCH END - OK")
      ->type_name("HOST");
  app.add_option_function<double>(
         "--connect-timeout",
         [&options](double seconds) { options.connect_timeout = from_seconds(seconds); },
         "With --connect: keep trying this long for both ports to accept [default: 60]")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  app.add_option_function<double>(
         "--idle-timeout",
         [&options](double seconds) { options.idle_timeout = from_seconds(seconds); },
         "Close a source connection silent this long; 0: never [default: 30]")
      ->type_name("SECONDS")
      ->check(CLI::NonNegativeNumber);
  add_rule_options(app, options.rules);
  add_limit_options(app, options.max_line_length, options.max_buffered);
  app.add_option("--log-level", options.log_level,
                 "debug, info, warn or error [default: $LOG_LEVEL, else info]")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->type_name("LEVEL");
  app.add_option("--max-listeners", options.max_listeners,
                 "Listener connections open at once; one more is refused (logged)")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--max-sources", options.max_sources,
                 "Source connections open at once, the session's and those that have not sent a "
                 "valid line yet; one more is refused (logged)")
      ->check(at_least_one())
      ->capture_default_str();
  app.add_option("--record", options.record_dir,
                 "Write each session's source stream, as received, to "
                 "DIR/<start time>-session-<N>.events (for likematch replay)")
      ->type_name("DIR");
  add_log_format_option(app, options.log_format);
  app.add_option("--summary-json", options.summary_json,
                 "Append each session's summary to FILE as one JSON object per line")
      ->type_name("FILE");
}

int run_serve(const ServeOptions& options, const Output& output) {
  const std::shared_ptr<spdlog::logger> logger = make_serve_logger(options, output);
  std::unique_ptr<ServeInstance> instance;
  try {
    instance = std::make_unique<ServeInstance>(options, logger, true, output);
  } catch (const std::filesystem::filesystem_error& error) {
    logger->error("--record: {}", error.what());
    return k_exit_failure;
  }
  if (const auto& error = instance->start_error()) {
    logger->error("{}", *error);
    return k_exit_failure;
  }
  return instance->run();
}

}  // namespace likematch::cli
