#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/engine/engine_tables.hpp"
#include "core/engine/warning.hpp"
#include "core/rules/error_analysis.hpp"
#include "core/session/remote_decider.hpp"
#include "core/session/session_report.hpp"

namespace likematch {

enum class Severity { debug, info, warn };

// Why a source connection closed, as the transport saw it.
enum class SourceClose { closed, failed, idle_timeout };

struct HubOptions {
  EngineOptions engine;
  // Warnings about the input logged per source connection; the rest are counted.
  std::uint64_t max_warnings = k_warnings_shown;
  // A finished session's tables are kept for the next one if they hold at most this much
  // (see TablePool).
  std::size_t max_spare_table_bytes = std::size_t{128} << 20;
  // A listener that connects after a session's input ended, before any other source
  // connected, belongs to that session while its source is still open, or, if the source sent
  // EVENT END, within this long of it (a harness that closes its source, then connects its
  // listener).
  std::chrono::milliseconds late_listener_grace{500};
  // A listener that has the whole list and says nothing this long is closed.
  std::chrono::milliseconds verdict_timeout{30'000};
  // A listener line longer than this closes the listener: its framing is broken.
  std::size_t max_listener_line = 4096;
  // Not null: other processes decide the matches (serve --jetstream); see RemoteDecider.
  RemoteDecider* remote = nullptr;
};

// What the hub asks of its transport, and what it tells it happened. Calls are made from
// inside the hub's own entry points, so an implementation must not call back into the hub
// from them.
class HubActions {
 public:
  virtual ~HubActions() = default;

  // Appends bytes to the listener's output. The same bytes go to every listener of a
  // session: shared, never copied per listener.
  virtual void send(ConnectionId listener, std::shared_ptr<const std::string> bytes) = 0;
  // Closes a connection; its closing is not reported back to the hub (it may be, harmlessly).
  virtual void close(ConnectionId connection) = 0;
  // Call SessionHub::wake() at `when`; a later call replaces an earlier one.
  virtual void wake_at(std::chrono::steady_clock::time_point when) = 0;

  // A routine line for the log.
  virtual void log(Severity severity, std::string text) = 0;
  // A warning about a source's input; `session` is 0 before that source began one.
  virtual void warning(std::uint64_t session, ConnectionId source, const Warning& warning) = 0;
  virtual void session_began(const SessionReport& report) = 0;
  virtual void input_ended(const SessionReport& report) = 0;
  // A listener left: its verdict, or why it had none. With MATCH END - ERROR, what that says
  // about the rule variants.
  virtual void listener_left(const ListenerReport& listener, const ErrorAnalysis* analysis) = 0;
  // Once per session, when nothing more can change it.
  virtual void summary(const SessionReport& report) = 0;
  // A source connection ended before its first valid line: no session came of it.
  virtual void source_dropped(ConnectionId source) = 0;
};

// The protocol between Event Sources and Event Listeners, as a state machine without
// sockets: the transport reports what happened on its connections and the hub answers
// through HubActions. The session policy it implements is docs/protocol.md's "Sessions":
//
// Every source connection is read by its own Engine from its first byte, exactly as
// `likematch replay` reads a recording of it. Its first valid line (EVENT BEGIN or an event)
// begins a session, unless another session's input is still running: then that source is
// refused (closed). The input ends at EVENT END, at the source's close or idle timeout, or at
// the buffer limit.
//
// A listener belongs to one session and is sent its whole match list from the first number,
// each match as soon as it is decided. It is attached to the running session; with none
// running, to the last session if its input has ended, no listener had its list or judged it,
// no other source has connected since, and its source is still open, or sent EVENT END at
// most HubOptions::late_listener_grace ago;
// otherwise it waits for the next session. A session is final, and its summary given, once
// its input has ended, every listener attached to it has left (verdict, close, or
// verdict_timeout after it had the whole list), and a listener had the whole list or gave a
// verdict, or no listener can come for it any more.
class SessionHub {
 public:
  using Clock = std::chrono::steady_clock;

  SessionHub(
      HubOptions options, HubActions& actions,
      std::function<Clock::time_point()> now = [] { return Clock::now(); });
  ~SessionHub();
  SessionHub(const SessionHub&) = delete;
  SessionHub& operator=(const SessionHub&) = delete;

  void source_connected(ConnectionId id);
  void source_bytes(ConnectionId id, std::string_view bytes);
  void source_closed(ConnectionId id, SourceClose how = SourceClose::closed);

  void listener_connected(ConnectionId id);
  void listener_bytes(ConnectionId id, std::string_view bytes);
  // The listener closed its connection (or half-closed it), or the connection failed.
  void listener_closed(ConnectionId id, bool failed = false);

  // With HubOptions::remote: the numbers decided for `session` (in increasing order, each
  // once, after those of earlier calls); `complete`: the session's list is whole.
  void remote_decided(std::uint64_t session, const std::vector<std::uint64_t>& numbers,
                      bool complete);

  // A time asked for through HubActions::wake_at has come.
  void wake();
  // The server stops: a running session's input ends, every session is made final.
  void shutdown();

  std::uint64_t sessions_started() const { return m_sessions_started; }
  // The memory of the tables kept from the last session for the next one.
  std::size_t spare_table_bytes() const { return m_pool.bytes(); }

 private:
  class Source;
  struct Session;
  struct Listener;
  struct ListenerLines;

  Session* begin_session(Source& source);
  void end_input(Session& session, SessionEnd end);
  void flush_matches(Session& session);
  void list_completed(Session& session);
  void matches_sent(Session& session);
  void input_decided(Session& session, Clock::time_point arrived);
  void update_tail(Session& session);
  void attach(Listener& listener, Session& session);
  Session* attachable_session();
  bool window_open(const Session& session) const;
  static bool judged(const Session& session);
  void on_listener_line(Listener& listener, std::string_view line);
  void leave(Listener& listener, ListenerEnd end, std::optional<Verdict> verdict = std::nullopt);
  void maybe_finish(Session& session);
  void finish(Session& session);
  void erase_left_listeners();
  void schedule_wake();
  Session* session(std::uint64_t number);

  HubOptions m_options;
  HubActions& m_actions;
  std::function<Clock::time_point()> m_now;
  TablePool m_pool;
  std::uint64_t m_sessions_started = 0;
  Session* m_running = nullptr;  // the session whose input runs, if any
  std::map<ConnectionId, std::unique_ptr<Source>> m_sources;
  std::map<std::uint64_t, std::unique_ptr<Session>> m_sessions;  // those not yet final
  std::map<ConnectionId, std::unique_ptr<Listener>> m_listeners;
  std::optional<Clock::time_point> m_wake;  // the wake-up asked for, if any
  bool m_shut_down = false;
};

}  // namespace likematch
