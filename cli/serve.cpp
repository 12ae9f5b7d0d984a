#include "cli/serve.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <asio.hpp>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <utility>

#include "cli/exit_status.hpp"
#include "cli/json_text.hpp"
#include "cli/messages.hpp"
#include "cli/option_values.hpp"
#include "cli/remote_cluster.hpp"
#include "cli/rule_options.hpp"
#include "cli/rule_words.hpp"
#include "cli/session_json.hpp"
#include "cli/session_summary.hpp"
#include "cli/shared_options.hpp"
#include "core/engine/input/line_parser.hpp"
#include "io/append_file.hpp"
#include "io/endpoint.hpp"
#include "io/server.hpp"
#include "io/session_recorder.hpp"

namespace likematch::cli {

namespace {

std::string why_left(const ListenerReport& report, std::chrono::milliseconds verdict_timeout,
                     std::size_t max_line) {
  switch (report.end) {
    case ListenerEnd::verdict:
      return "";
    case ListenerEnd::peer_closed:
      return "closed its connection without a verdict";
    case ListenerEnd::failed:
      return "lost its connection without a verdict";
    case ListenerEnd::verdict_timeout:
      return fmt::format("sent no verdict within {} s, closed",
                         format_duration(verdict_timeout, DurationUnit::seconds));
    case ListenerEnd::line_too_long:
      return fmt::format("sent a line longer than {} bytes, closed", max_line);
    case ListenerEnd::shutdown:
      return "closed at shutdown";
    case ListenerEnd::remote_failed:
      return "closed: its list cannot be completed";
  }
  return "";
}

// What a listener had when it left: "written" only for what reached its socket.
std::string what_was_written(const ListenerReport& report) {
  if (report.whole_list) {
    return fmt::format("its whole list ({}) written",
                       plural(report.numbers_written, "number", "numbers"));
  }
  std::string text = fmt::format("{} written", plural(report.numbers_written, "number", "numbers"));
  if (report.numbers_queued != 0) {
    text += fmt::format(", {} still queued", report.numbers_queued);
  }
  return text;
}

// Under --connect only one source is dialed: a listener has no new session to wait for.
HubOptions hub_options(const ServeOptions& options) {
  HubOptions hub = options.hub;
  if (!options.connect_host.empty()) {
    hub.new_source_wait = std::chrono::milliseconds(0);
  }
  return hub;
}

}  // namespace

// The wiring: the server's connection events go to the hub, the hub's actions go to the server,
// the recorder and the logger. Under --connect it also watches for the one session's end.
class ServeInstance::Impl : public HubActions, public io::ConnectionEvents {
 public:
  Impl(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger, const Output& output)
      : m_logger(std::move(logger)),
        m_output(output),
        m_options(options),
        m_connect(!options.connect_host.empty()),
        m_cluster(options.cluster.jetstream.empty()
                      ? nullptr
                      : make_remote_cluster(options.cluster, m_io, *m_logger)),
        m_hub(with_remote(hub_options(m_options), m_cluster.get()), *this),
        m_wake(m_io),
        m_server(m_io, m_options.server, *this) {
    if (m_cluster) {
      if (auto error = m_cluster->start(options.connect_timeout)) {
        m_start_error = std::move(error);
        return;
      }
      m_cluster->attach(m_hub);
    }
    // Files first: a directory or file that cannot be used is said at once, not at the end of
    // the first session.
    if (!options.record_dir.empty()) {
      if (auto error = io::SessionRecorder::prepare(options.record_dir)) {
        m_start_error = fmt::format("--record: {}", *error);
        return;
      }
      m_recorder =
          std::make_unique<io::SessionRecorder>(options.record_dir, options.open_recording);
    }
    if (!options.summary_json.empty()) {
      if (auto error = io::check_append(options.summary_json)) {
        m_start_error = fmt::format("--summary-json: {}", *error);
        return;
      }
    }
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

  bool wait_for_summaries(std::uint64_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_summaries_mutex);
    return m_summaries_given.wait_for(lock, timeout, [&] { return m_summaries >= count; });
  }

  // HubActions: the transport.
  void send(ConnectionId listener, std::shared_ptr<const std::string> bytes) override {
    m_server.send(listener, std::move(bytes));
  }
  void close(ConnectionId connection) override {
    m_server.close(connection);
    if (m_recorder) {
      record(m_recorder->closed(connection));
    }
  }
  void wake_at(std::chrono::steady_clock::time_point when) override {
    m_wake.expires_at(when);
    m_wake.async_wait([this](std::error_code error) {
      if (!error) {
        m_hub.wake();
      }
    });
  }

  // HubActions: what happened.
  void event(const HubEvent& event) override {
    using Kind = HubEvent::Kind;
    switch (event.kind) {
      case Kind::source_dropped:
        // A probe, most likely: nothing came of it.
        log(spdlog::level::debug,
            fmt::format("source {} {} before any valid line, dropped", event.source,
                        event.idle ? "idle" : "closed"),
            fmt::format(R"("source":{},"idle":{})", event.source, event.idle));
        return;
      case Kind::source_refused:
        // Where the ERROR analysis tells the user to look: a second harness at once.
        log_with_fields(*m_logger, spdlog::level::warn,
                        fmt::format("source {} refused: session {} is running from source {}",
                                    event.source, event.session, event.running_source),
                        fmt::format(R"("source":{},"session":{},"running_source":{})", event.source,
                                    event.session, event.running_source));
        return;
      case Kind::input_after_end:
        log(spdlog::level::warn,
            fmt::format("session {}: source {} sent more after the end of its input, ignored",
                        event.session, event.source),
            fmt::format(R"("session":{},"source":{})", event.session, event.source));
        return;
      case Kind::listener_waits:
        log(spdlog::level::info,
            fmt::format("listener {} waits for the next session", event.listener),
            fmt::format(R"("listener":{})", event.listener));
        return;
      case Kind::listener_deciding:
        log(spdlog::level::info,
            fmt::format("listener {}: session {}'s list waits for a listener; waiting {} ms for "
                        "a new session first",
                        event.listener, event.session, event.wait.count()),
            fmt::format(R"("listener":{},"session":{},"wait_ms":{})", event.listener, event.session,
                        event.wait.count()));
        return;
      case Kind::listener_attached:
        log_with_fields(
            *m_logger, spdlog::level::info,
            fmt::format("session {}: listener {} attached", event.session, event.listener),
            fmt::format(R"("session":{},"listener":{})", event.session, event.listener));
        return;
      case Kind::listener_greeted:
        log(spdlog::level::info, fmt::format("listener {}: {}", event.listener, k_match_begin),
            fmt::format(R"("listener":{})", event.listener));
        return;
      case Kind::listener_line_ignored:
        log(spdlog::level::warn,
            fmt::format("listener {}: unexpected line {}, ignored", event.listener,
                        quote_for_message(event.line)),
            fmt::format(R"("listener":{},"text":{})", event.listener, json_quote(event.line)));
        return;
      case Kind::remote_failed:
        // Only the cluster fails a session; why is the bridge's to say.
        log_with_fields(
            *m_logger, spdlog::level::err,
            fmt::format("session {}: {}: the session ends without its list, its "
                        "listeners closed",
                        event.session,
                        m_cluster ? m_cluster->failure() : "its matches cannot be decided"),
            fmt::format(R"("session":{})", event.session));
        return;
    }
  }
  void warning(std::uint64_t session, ConnectionId source, const Warning& warning) override {
    const std::string where = warning.line == 0
                                  ? std::string()
                                  : fmt::format("source {} line {}: ", source, warning.line);
    std::string fields = fmt::format(R"("source":{})", source);
    if (session != 0) {
      fields = fmt::format(R"("session":{},{})", session, fields);
    }
    if (warning.line != 0) {
      fields += fmt::format(R"(,"line":{})", warning.line);
    }
    const std::string text =
        session == 0
            ? fmt::format("{}{}", where.empty() ? fmt::format("source {}: ", source) : where,
                          warning_text(warning))
            : fmt::format("session {}: {}{}", session, where, warning_text(warning));
    log_with_fields(*m_logger, spdlog::level::warn, text, fields);
  }
  void session_began(const SessionReport& report) override {
    log_with_fields(*m_logger, spdlog::level::info,
                    fmt::format("session {} begins, from source {} (rule {})", report.session,
                                report.source, describe(m_options.hub.engine.rules)),
                    fmt::format(R"("session":{},"source":{},"rule":{})", report.session,
                                report.source, json_quote(describe(m_options.hub.engine.rules))));
    if (m_recorder) {
      // A file that cannot be made is said once, at error; only a file that is made is named.
      const std::optional<std::string> error =
          m_recorder->begin(report.source, report.session, std::chrono::system_clock::now());
      if (error) {
        record(error);
      } else {
        const std::string path = m_recorder->path(report.source);
        log(spdlog::level::info, fmt::format("session {}: recording to {}", report.session, path),
            fmt::format(R"("session":{},"source":{},"path":{})", report.session, report.source,
                        json_quote(path)));
      }
    }
  }
  void input_ended(const SessionReport& report) override {
    log_with_fields(
        *m_logger, spdlog::level::info,
        fmt::format("session {} input ended ({}): {}, {}{}", report.session, to_string(*report.end),
                    plural(report.stats.events, "event", "events"),
                    plural(report.stats.matches, "match", "matches"),
                    report.listeners == 0 ? ", waiting for a listener" : ""),
        fmt::format(R"("session":{},"source":{},"events":{},"matches":{})", report.session,
                    report.source, report.stats.events, report.stats.matches));
    if (m_recorder) {
      record(m_recorder->end(report.source));
    }
  }
  void listener_left(const ListenerReport& report, const ErrorAnalysis* analysis) override {
    const std::string written = what_was_written(report);
    if (report.verdict && report.session == 0) {
      log(spdlog::level::warn,
          fmt::format("listener {}: {} without a session, closed", report.listener,
                      to_string(*report.verdict)),
          fmt::format(R"("listener":{},"verdict":{})", report.listener,
                      *report.verdict == Verdict::ok ? R"("ok")" : R"("error")"));
    } else if (report.verdict) {
      const std::string text = fmt::format("session {}: listener {}: {} after {}", report.session,
                                           report.listener, to_string(*report.verdict), written);
      log_with_fields(
          *m_logger, *report.verdict == Verdict::ok ? spdlog::level::info : spdlog::level::err,
          text,
          fmt::format(R"("session":{},"listener":{},"verdict":{})", report.session, report.listener,
                      *report.verdict == Verdict::ok ? R"("ok")" : R"("error")"));
    } else if (report.session != 0) {
      // A connection that never spoke was a probe; one that spoke and left short of its whole
      // list is a run that did not get it.
      const bool probe = !report.spoke && report.end != ListenerEnd::verdict_timeout;
      const spdlog::level::level_enum level = report.end == ListenerEnd::shutdown || probe
                                                  ? spdlog::level::debug
                                              : report.whole_list ? spdlog::level::info
                                                                  : spdlog::level::warn;
      log_with_fields(
          *m_logger, level,
          fmt::format(
              "session {}: listener {} {} after {}", report.session, report.listener,
              why_left(report, m_options.hub.verdict_timeout, m_options.hub.max_listener_line),
              written),
          fmt::format(R"("session":{},"listener":{},"numbers_written":{},)"
                      R"("numbers_queued":{})",
                      report.session, report.listener, report.numbers_written,
                      report.numbers_queued));
    } else {
      log_with_fields(*m_logger,
                      report.end == ListenerEnd::shutdown || !report.spoke ? spdlog::level::debug
                                                                           : spdlog::level::info,
                      fmt::format("listener {} {} before any session", report.listener,
                                  why_left(report, m_options.hub.verdict_timeout,
                                           m_options.hub.max_listener_line)),
                      fmt::format(R"("listener":{})", report.listener));
    }
    if (report.unshown_lines != 0) {
      log(spdlog::level::warn,
          fmt::format("listener {}: {} more unexpected {} not shown", report.listener,
                      report.unshown_lines, report.unshown_lines == 1 ? "line" : "lines"),
          fmt::format(R"("listener":{},"unshown_lines":{})", report.listener,
                      report.unshown_lines));
    }
    if (analysis != nullptr) {
      for (const std::string& line : error_analysis_lines(*analysis)) {
        log(spdlog::level::warn,
            fmt::format("session {}: listener {}: {}", report.session, report.listener, line),
            fmt::format(R"("session":{},"listener":{})", report.session, report.listener));
      }
    }
    if (m_connect) {
      if (report.verdict) {
        m_verdict = m_verdict == Verdict::error ? Verdict::error : *report.verdict;
        fmt::print(m_output.out, "{}\n", to_string(*report.verdict));
        std::fflush(m_output.out);
      } else if (!report.spoke && report.end != ListenerEnd::shutdown) {
        // Accepted and closed without a word: the harness's listener is not up yet.
        m_server.redial(io::Role::listener,
                        "the Event Listener's port accepted connections but closed each one "
                        "without a word until --connect-timeout");
      } else if (report.end != ListenerEnd::shutdown) {
        log(spdlog::level::err, "the Event Listener left without a verdict",
            fmt::format(R"("session":{},"listener":{})", report.session, report.listener));
        finish(k_exit_no_verdict);
      }
    }
  }
  void summary(const SessionReport& report) override {
    if (!report.delivered && !report.verdict()) {
      if (report.remote_failed) {
        log(spdlog::level::warn,
            fmt::format("session {}: its list was never delivered: its matches could not be "
                        "decided",
                        report.session),
            fmt::format(R"("session":{},"listeners":{})", report.session, report.listeners));
      } else if (report.superseded_by != 0) {
        log(spdlog::level::warn,
            fmt::format("session {}: its list was never delivered: no listener took it before "
                        "session {} began",
                        report.session, report.superseded_by),
            fmt::format(R"("session":{},"next_session":{},"listeners":{})", report.session,
                        report.superseded_by, report.listeners));
      } else {
        log(spdlog::level::warn,
            fmt::format("session {}: its list was never delivered: {}", report.session,
                        report.listeners == 0 ? "no listener came before the server stopped"
                                              : "its listeners left before its whole list"),
            fmt::format(R"("session":{},"listeners":{})", report.session, report.listeners));
      }
    }
    if (report.first_divergence) {
      log(spdlog::level::info,
          fmt::format("session {}: the rule variants diverge first at {}", report.session,
                      explain(*report.first_divergence)),
          fmt::format(R"("session":{})", report.session));
    }
    const std::string fields = session_json_fields(report);
    log_with_fields(*m_logger, spdlog::level::info, format_summary(report), fields);
    if (!m_options.summary_json.empty()) {
      // When, and which run: session numbers start at 1 in every process, so a file appended
      // to by several runs tells its sessions apart by "run".
      const std::string record =
          fmt::format(R"({{"time":{},"run":{},{}}})"
                      "\n",
                      json_quote(utc_timestamp(std::chrono::system_clock::now())),
                      json_quote(run_id()), fields);
      if (const auto error = io::append_to_file(m_options.summary_json, record)) {
        // Checked at startup, but a full disk (or /dev/full) is only found by writing.
        log(spdlog::level::err,
            fmt::format("--summary-json: {}: session {}'s summary is not in the file", *error,
                        report.session),
            fmt::format(R"("session":{},"path":{},"error":{})", report.session,
                        json_quote(m_options.summary_json), json_quote(*error)));
      }
    }
    if (m_connect) {
      finish(report.verdict() == Verdict::ok ? k_exit_ok : k_exit_failure);
    }
    {
      std::lock_guard lock(m_summaries_mutex);
      ++m_summaries;
    }
    m_summaries_given.notify_all();
  }
  void source_dropped(ConnectionId) override {
    if (m_connect && !m_finished) {
      // Accepted and closed before any event: the harness's source is not up yet.
      m_server.redial(io::Role::source,
                      "the Event Source's port accepted connections but closed each one before "
                      "any event until --connect-timeout");
    }
  }

  // io::ConnectionEvents
  void server_event(const io::ServerEvent& event) override {
    using Kind = io::ServerEvent::Kind;
    switch (event.kind) {
      case Kind::listening:
        // The protocol has no authentication: said in the line the operator reads for the
        // ports. Not a warning: only an explicit --bind leaves loopback, and a container's every
        // start would warn about what its command asks for.
        log(spdlog::level::info,
            fmt::format("listening: Event Source on {}, Event Listeners on {}{}",
                        io::format_endpoint(event.address, event.source_port),
                        io::format_endpoint(event.address, event.listener_port),
                        event.loopback ? ""
                                       : " (not loopback: any host that reaches it can send "
                                         "events and read matches)"),
            fmt::format(R"("address":{},"source_port":{},"listener_port":{},"loopback":{})",
                        json_quote(event.address), event.source_port, event.listener_port,
                        event.loopback));
        return;
      case Kind::dialing:
        log(spdlog::level::info,
            fmt::format("connecting to the Event {} at {}",
                        event.role == io::Role::source ? "Source" : "Listener",
                        io::format_endpoint(event.address, event.port)),
            fmt::format(R"("role":{},"host":{},"port":{})", json_quote(io::to_string(event.role)),
                        json_quote(event.address), event.port));
        return;
      case Kind::signal_received: {
        const std::string_view name = event.signal == SIGINT ? "SIGINT" : "SIGTERM";
        log(spdlog::level::info, fmt::format("{} received, stopping", name),
            fmt::format(R"("signal":{})", json_quote(name)));
        return;
      }
      case Kind::accept_failed:
        log(spdlog::level::warn,
            fmt::format("accepting a {} connection failed: {}", io::to_string(event.role),
                        event.error),
            fmt::format(R"("role":{},"error":{})", json_quote(io::to_string(event.role)),
                        json_quote(event.error)));
        return;
      case Kind::refused:
        log(spdlog::level::warn,
            fmt::format("{} connection from {} refused: {} already open (--max-{}s)",
                        io::to_string(event.role), event.peer, event.open,
                        io::to_string(event.role)),
            fmt::format(R"("role":{},"peer":{},"open":{})", json_quote(io::to_string(event.role)),
                        json_quote(event.peer), event.open));
        return;
      case Kind::displaced:
        log(spdlog::level::warn,
            fmt::format("source {} closed to make room for a new source connection from {}: it "
                        "sent nothing and {} are open (--max-sources)",
                        event.connection, event.peer, event.open),
            fmt::format(R"("source":{},"peer":{},"open":{})", event.connection,
                        json_quote(event.peer), event.open));
        return;
    }
  }
  void source_connected(io::ConnectionId id, const std::string& peer) override {
    // Under --connect the peer is the address this side dialed.
    log_with_fields(*m_logger, spdlog::level::info,
                    fmt::format("source {} connected {} {}", id, m_connect ? "to" : "from", peer),
                    fmt::format(R"("source":{},"peer":{})", id, json_quote(peer)));
    m_hub.source_connected(id);
  }
  void source_bytes(io::ConnectionId id, std::string_view bytes) override {
    if (m_recorder) {
      record(m_recorder->append(id, bytes));
    }
    m_hub.source_bytes(id, bytes);
  }
  void source_closed(io::ConnectionId id, const io::Closed& how) override {
    SourceClose close = SourceClose::closed;
    if (how.reason == io::CloseReason::idle) {
      log_with_fields(
          *m_logger, spdlog::level::warn,
          fmt::format("source {} silent for {} s, closed", id,
                      format_duration(m_options.server.idle_timeout, DurationUnit::seconds)),
          fmt::format(R"("source":{})", id));
      close = SourceClose::idle_timeout;
    } else if (how.reason == io::CloseReason::failed) {
      log_with_fields(*m_logger, spdlog::level::info,
                      fmt::format("source {} connection failed: {}", id, how.detail),
                      fmt::format(R"("source":{})", id));
      close = SourceClose::failed;
    }
    m_hub.source_closed(id, close);
    if (m_recorder) {
      record(m_recorder->closed(id));
    }
  }
  void listener_connected(io::ConnectionId id, const std::string& peer) override {
    log_with_fields(*m_logger, spdlog::level::info,
                    fmt::format("listener {} connected {} {}", id, m_connect ? "to" : "from", peer),
                    fmt::format(R"("listener":{},"peer":{})", id, json_quote(peer)));
    m_hub.listener_connected(id);
  }
  void listener_bytes(io::ConnectionId id, std::string_view bytes) override {
    m_hub.listener_bytes(id, bytes);
  }
  void listener_written(io::ConnectionId id, std::size_t chunks) override {
    m_hub.listener_written(id, chunks);
  }
  void listener_closed(io::ConnectionId id, const io::Closed& how) override {
    m_hub.listener_closed(id, how.reason == io::CloseReason::failed);
  }
  void dial_failed(io::Role role, const std::string& reason) override {
    log(spdlog::level::err, reason,
        fmt::format(R"("role":{},"error":{})", json_quote(io::to_string(role)),
                    json_quote(reason)));
    finish(k_exit_no_verdict);
  }
  void stopping() override {
    m_hub.shutdown();
    if (m_cluster) {
      m_cluster->stop();
    }
    m_wake.cancel();
    if (m_recorder) {
      m_recorder->end_all();
    }
  }

 private:
  static HubOptions with_remote(HubOptions options, RemoteDecider* remote) {
    options.remote = remote;
    return options;
  }

  // Every line of serve's log has its fields: in JSON, what it is about, for machines.
  void log(spdlog::level::level_enum level, std::string_view text, std::string_view fields) {
    log_with_fields(*m_logger, level, text, fields);
  }

  // A recording that fails is logged; the session goes on.
  void record(const std::optional<std::string>& error) {
    if (error) {
      log(spdlog::level::err, fmt::format("--record: {}", *error),
          fmt::format(R"("path":{},"error":{})", json_quote(m_options.record_dir),
                      json_quote(*error)));
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
  ServeOptions m_options;
  std::unique_ptr<io::SessionRecorder> m_recorder;
  bool m_connect;
  std::unique_ptr<RemoteCluster> m_cluster;
  SessionHub m_hub;
  asio::steady_timer m_wake;
  io::Server m_server;
  std::optional<Verdict> m_verdict;
  std::optional<std::string> m_start_error;
  int m_status = k_exit_ok;
  bool m_finished = false;
  std::mutex m_summaries_mutex;
  std::condition_variable m_summaries_given;
  std::uint64_t m_summaries = 0;
};

ServeInstance::ServeInstance(const ServeOptions& options, std::shared_ptr<spdlog::logger> logger,
                             const Output& output)
    : m_impl(std::make_unique<Impl>(options, std::move(logger), output)) {}

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

bool ServeInstance::wait_for_summaries(std::uint64_t count, std::chrono::milliseconds timeout) {
  return m_impl->wait_for_summaries(count, timeout);
}

void setup_serve(CLI::App& app, ServeOptions& options) {
  app.description(
      "Match like events from an Event Source for Event Listeners over TCP, as the challenge's "
      "harness expects: listen on two ports (default), or dial the harness with --connect.");
  app.footer(
      "Examples:\n"
      "  likematch serve                      # listen on 127.0.0.1:9090 and :9099\n"
      "  likematch serve --bind 0.0.0.0 --record sessions/\n"
      "  likematch serve --connect localhost  # dial a listening harness; 0 on OK\n"
      "  LOG_LEVEL=debug likematch serve --log-format json \\\n"
      "      --summary-json summaries.jsonl");
  io::ServerOptions& server = options.server;
  add_network_options(
      app, {server.bind_address, server.source_port, server.listener_port, options.connect_timeout},
      "with --connect");
  app.add_option("--connect", options.connect_host,
                 "Dial HOST's two ports instead of listening, run one session, print the "
                 "listener's verdict; exit 0 on MATCH END - OK, 1 on ERROR, 3 on none")
      ->check(non_empty())
      ->type_name("HOST");
  add_duration(app, "--idle-timeout", server.idle_timeout, DurationUnit::seconds,
               /*positive=*/false, "Close a source connection silent this long; 0: never");
  add_rule_options(app, options.hub.engine.rules);
  add_limit_options(app, options.hub.engine);
  add_log_options(app, options.log);
  add_cluster_options(app, options.cluster, /*worker=*/false);
  add_number<std::size_t>(app, "--max-listeners", server.max_listeners, 1,
                          "Listener connections open at once; one more is refused (logged)");
  add_number<std::size_t>(app, "--max-sources", server.max_sources, 1,
                          "Source connections open at once, the session's and those that have "
                          "not sent a valid line yet; one more is refused (logged)");
  app.add_option("--record", options.record_dir,
                 "Write each session's source stream, as received, to "
                 "DIR/<start time>-session-<N>.events (for likematch replay)")
      ->check(non_empty())
      ->type_name("DIR");
  app.add_option("--summary-json", options.summary_json,
                 "Append each session's summary to FILE as one JSON object per line")
      ->check(non_empty())
      ->type_name("FILE");
}

namespace {

// The first line: which build runs, with what settings, so that a log read later says what
// served it.
void log_serve_start(spdlog::logger& logger, const ServeOptions& options) {
  const io::ServerOptions& server = options.server;
  const EngineOptions& engine = options.hub.engine;
  const std::string idle = format_duration(server.idle_timeout, DurationUnit::seconds);
  const std::string verdict = format_duration(options.hub.verdict_timeout, DurationUnit::seconds);
  const std::string rule = describe(engine.rules);
  std::vector<StartSetting> settings{
      {fmt::format("rule {}", rule), "rule", json_quote(rule)},
      {fmt::format("--idle-timeout {} s", idle), "idle_timeout_s", idle},
      {fmt::format("verdict timeout {} s", verdict), "verdict_timeout_s", verdict},
      {fmt::format("--max-sources {}", server.max_sources), "max_sources",
       std::to_string(server.max_sources)},
      {fmt::format("--max-listeners {}", server.max_listeners), "max_listeners",
       std::to_string(server.max_listeners)},
      {fmt::format("--max-line-length {}", engine.max_line_length), "max_line_length",
       std::to_string(engine.max_line_length)},
      {fmt::format("--max-buffered {}", engine.max_buffered), "max_buffered",
       std::to_string(engine.max_buffered)}};
  if (!options.record_dir.empty()) {
    settings.push_back(
        {fmt::format("--record {}", options.record_dir), "record", json_quote(options.record_dir)});
  }
  if (!options.summary_json.empty()) {
    settings.push_back({fmt::format("--summary-json {}", options.summary_json), "summary_json",
                        json_quote(options.summary_json)});
  }
  log_start(logger, "serve", settings);
}

}  // namespace

int run_serve(const ServeOptions& asked, const Output& output) {
  if (!asked.connect_host.empty()) {
    if (const auto problem =
            dial_port_problem(asked.server.source_port, asked.server.listener_port)) {
      print_message(output, *problem);
      return k_exit_usage;
    }
  }
  ServeOptions options = asked;
  options.server.handle_signals = true;
  const std::shared_ptr<spdlog::logger> logger = make_logger(options.log, output);
  log_serve_start(*logger, options);
  const auto instance = std::make_unique<ServeInstance>(options, logger, output);
  if (const auto& error = instance->start_error()) {
    log_with_fields(*logger, spdlog::level::err, *error,
                    fmt::format(R"("error":{})", json_quote(*error)));
    return k_exit_failure;
  }
  return instance->run();
}

}  // namespace likematch::cli
