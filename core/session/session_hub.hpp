#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
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

// Why a source connection closed, as the transport saw it.
enum class SourceClose { closed, failed, idle_timeout };

struct HubOptions {
  EngineOptions engine;
  // Warnings about the input logged per source connection; the rest are counted.
  std::uint64_t max_warnings = k_warnings_shown;
  // A finished session's tables are kept for the next one if they hold at most this much
  // (see TablePool).
  std::size_t max_spare_table_bytes = std::size_t{128} << 20;
  // A listener that comes while the last session's list waits undelivered is attached to it at
  // once within this long of that session's input end (its run's listener is on its way);
  // later, it first waits `new_source_wait` for a new session to begin (the listener may be a
  // new run's, come first), and is attached to the old session only if none did.
  std::chrono::milliseconds late_listener_grace{500};
  // 0 where no new source can come (serve --connect dials one).
  std::chrono::milliseconds new_source_wait{500};
  // A listener whose whole list was written and that says nothing this long is closed.
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

  // Something the log tells (see HubEvent).
  virtual void event(const HubEvent& event) = 0;
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
// through HubActions. Every source connection is read by its own Engine from its first byte,
// as `likematch replay` reads a recording of it.
//
// The session policy, stated in full in docs/protocol.md ("Sessions"), in brief: a connection
// that sends no event changes no session; a session begins with its source's first valid line
// (a second source's, while one runs, is refused); a listener belongs to one session and gets
// its whole list; a finished session's list stays deliverable to a late listener, with no time
// limit, until another session begins; a listener that comes while such a list waits, more
// than late_listener_grace after its input ended, first waits new_source_wait for a new
// session. A listener's verdict bound runs from when its whole list was written.
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
  // The transport wrote the next `chunks` of the chunks it was sent for this listener, in the
  // order they were sent.
  void listener_written(ConnectionId id, std::size_t chunks);
  // The listener closed its connection (or half-closed it), or the connection failed.
  void listener_closed(ConnectionId id, bool failed = false);

  // With HubOptions::remote: the numbers decided for `session` (in increasing order, each
  // once, after those of earlier calls); `complete`: the session's list is whole.
  void remote_decided(std::uint64_t session, const std::vector<std::uint64_t>& numbers,
                      bool complete);
  // With HubOptions::remote: the remote side cannot decide `session`'s list (its cluster is
  // lost). No verdict can come: the session ends now, its source's input cut and closed, its
  // listeners closed, and the next session begins as usual.
  void remote_failed(std::uint64_t session);

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
  void decide_rest(Source& source, Session& session, Clock::time_point at);
  void flush_matches(Session& session);
  void list_completed(Session& session);
  void matches_sent(Session& session);
  void input_decided(Session& session, Clock::time_point arrived);
  void update_tail(Session& session);
  void attach(Listener& listener, Session& session);
  void check_written(Listener& listener, Session& session);
  Session* deliverable_session();
  bool had_listener(const Session& session) const;
  static bool judged(const Session& session);
  void decide_pending(Listener& listener);
  void on_listener_line(Listener& listener, std::string_view line);
  void leave(Listener& listener, ListenerEnd end, std::optional<Verdict> verdict = std::nullopt);
  void maybe_finish(Session& session);
  void maybe_finish_all();
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
