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

#include "core/engine/engine.hpp"
#include "core/engine/match_rules.hpp"
#include "core/engine/stats.hpp"

namespace likematch {

// Any connection, source or listener; the caller chooses the ids and never reuses one.
using ConnectionId = std::uint64_t;

enum class Severity { debug, info, warn };

enum class Verdict { none, ok, error };

std::string_view to_string(Verdict verdict);

// How a session's input ended.
enum class SessionEnd {
  event_end,      // EVENT END was read
  source_closed,  // the source closed its connection without EVENT END
  idle_timeout,   // the source fell silent and was closed
  buffer_limit,   // too many events waited for an earlier one (EngineOptions::max_buffered)
  cut,            // the server shut down during the session
};

std::string_view to_string(SessionEnd end);

// Why a source connection closed, as the transport saw it.
enum class SourceClose { closed, idle_timeout };

// Everything one session did: the summary line, and the numbers a verdict is logged with.
struct SessionReport {
  std::uint64_t session = 0;  // 1-based, counted by the hub
  ConnectionId source = 0;
  Stats stats;
  std::optional<SessionEnd> end;  // nullopt while the input runs
  // From the first valid line to the last match handed to a listener.
  std::optional<std::chrono::nanoseconds> first_event_to_last_match;
  std::uint64_t listeners = 0;  // listeners that were sent this session's list
  bool delivered = false;       // the full list went to a listener (or there was none to send)
  Verdict verdict = Verdict::none;
  std::uint64_t unshown_warnings = 0;
  // Known once the session is final: the four rule variants give the same list.
  std::optional<bool> rules_agree;
};

std::string format_summary(const SessionReport& report);

// What the hub asks of its transport. Calls are made from inside the hub's own entry points,
// so an implementation must not call back into the hub from them.
class HubActions {
 public:
  virtual ~HubActions() = default;
  // Appends bytes to the listener's output queue.
  virtual void send(ConnectionId listener, std::string_view bytes) = 0;
  // Closes a connection; its closing is not reported back to the hub (it may be, harmlessly).
  virtual void close(ConnectionId connection) = 0;
  virtual void log(Severity severity, std::string text) = 0;
  // A listener judged the session: MATCH END - OK or - ERROR.
  virtual void verdict(ConnectionId listener, Verdict verdict, const SessionReport& report) = 0;
  // Once per session, when nothing more can change it (see SessionHub).
  virtual void summary(const SessionReport& report) = 0;
};

struct HubOptions {
  EngineOptions engine;
  // Warnings about the input logged per session; the rest are counted in the summary.
  std::uint64_t max_warnings = 20;
  std::function<std::chrono::steady_clock::time_point()> clock = [] {
    return std::chrono::steady_clock::now();
  };
  // A finished session's tables are kept for the next one if they hold at most this much
  // (0: never). They grow to about 21 MiB for 1M events, 168 MiB for 5M, 336 MiB for 10M
  // (9000 users); not faulting them in and growing into them again took a 1M-event harness
  // run from 0.088 to 0.074 s. Above the bound the memory goes back to the system instead: a rare
  // huge session should not pin hundreds of MiB while the server idles.
  std::size_t max_spare_table_bytes = std::size_t{128} << 20;
};

// The protocol between one Event Source at a time and any number of Event Listeners, as a
// state machine without sockets: the transport reports what happened on its connections and
// the hub answers through HubActions.
//
// A session runs from the first valid line (EVENT BEGIN or an event) of a source connection to
// EVENT END or that connection's close, with a fresh Engine (on the last session's emptied
// tables, see HubOptions::max_spare_table_bytes). Until its first valid line a
// source connection is only a candidate: closing then touches nothing; a candidate that sends
// a valid line while another session runs is refused (closed). Every listener connected while
// the session is current is sent its whole match list from the first number, and each match as
// soon as it is decided. The session stays current after its input ends until its list has
// gone to a listener (a session without matches is delivered by ending); a listener connecting
// after that waits for the next session. The summary is given once the input has ended, the
// list was delivered and no listener that received it is still waiting to send its verdict,
// or when the next session or shutdown makes it final.
class SessionHub {
 public:
  SessionHub(HubOptions options, HubActions& actions);
  ~SessionHub();
  SessionHub(const SessionHub&) = delete;
  SessionHub& operator=(const SessionHub&) = delete;

  void source_connected(ConnectionId id);
  void source_bytes(ConnectionId id, std::string_view bytes);
  void source_closed(ConnectionId id, SourceClose how = SourceClose::closed);

  void listener_connected(ConnectionId id);
  // One line from the listener, without its '\n'.
  void listener_line(ConnectionId id, std::string_view line);
  void listener_closed(ConnectionId id);

  // The server stops: a running session is logged as cut, a pending summary is given.
  void shutdown();

  std::uint64_t sessions_started() const { return m_sessions; }
  // The memory of the tables kept from the last session for the next one.
  std::size_t spare_table_bytes() const { return m_spare ? m_spare->table_bytes() : 0; }
  // The current session's report, if there is one.
  const SessionReport* current() const;

 private:
  class Session;
  struct Candidate;
  struct Listener;

  void on_candidate_bytes(ConnectionId id, Candidate& candidate, std::string_view bytes);
  void start_session(ConnectionId source, std::string_view first_line, std::string_view rest,
                     std::uint64_t lines_before);
  void feed(std::string_view bytes);
  void end_input(SessionEnd end);
  void flush_matches();
  void attach(ConnectionId id, Listener& listener);
  // Logs what a listener that answered MATCH END - ERROR had been sent, and which rule it
  // may have expected.
  void diagnose(ConnectionId id, const Listener& listener);
  void maybe_finish_session();
  void finish_session();
  void keep_spare(std::unique_ptr<Engine> engine);

  HubOptions m_options;
  HubActions& m_actions;
  std::uint64_t m_sessions = 0;
  std::unique_ptr<Session> m_session;  // the current session, running or waiting for delivery
  // The last session's engine, its tables emptied, for the next session to build on. Its sink
  // is gone: it is never fed, only handed to Engine(options, sink, spent).
  std::unique_ptr<Engine> m_spare;
  std::map<ConnectionId, Candidate> m_candidates;
  std::map<ConnectionId, Listener> m_listeners;
};

}  // namespace likematch
