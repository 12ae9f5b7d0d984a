#include "core/session/session_hub.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <utility>
#include <vector>

#include "core/engine/input/line_parser.hpp"
#include "core/engine/input/line_reader.hpp"

namespace likematch {

std::string_view to_string(SessionEnd end) {
  switch (end) {
    case SessionEnd::event_end:
      return "EVENT END";
    case SessionEnd::source_closed:
      return "source closed without EVENT END";
    case SessionEnd::idle_timeout:
      return "source idle, closed";
    case SessionEnd::buffer_limit:
      return "cut at the buffer limit";
    case SessionEnd::shutdown:
      return "cut by shutdown";
  }
  return "?";
}

// One session: its report, its match list as the text listeners get, every variant's list.
struct SessionHub::Session {
  SessionReport report;
  RuleComparison comparison;
  // The list as shared, immutable chunks, one per source read that decided a match: every
  // listener is sent the same chunks, so stalled listeners cost a pointer per chunk each.
  std::vector<std::shared_ptr<const std::string>> chunks;
  std::vector<std::size_t> numbers_after;  // numbers in chunks[0..i]
  std::string pending;                     // decided since the last chunk
  std::size_t numbers = 0;                 // in the chunks
  Clock::time_point began;
  Clock::time_point input_ended;
  // When the last source piece that let events be decided arrived, and when the last match
  // was handed to a listener: the tail (SessionReport::input_end_to_last_match).
  std::optional<Clock::time_point> last_deciding_input;
  std::optional<Clock::time_point> last_match_sent;
  bool source_open = true;
  // Every number of the list is in `chunks` or `pending`: at the input's end, or with a
  // RemoteDecider once the remote side said so.
  bool list_complete = false;
  // A source connected after this session's input ended: its late listener window is shut.
  bool newer_source = false;
};

// One source connection and the engine that reads it from its first byte.
class SessionHub::Source : public EngineSink {
 public:
  Source(SessionHub& hub, ConnectionId id)
      : m_hub(hub), m_id(id), m_engine(engine_options(hub.m_options), *this, &hub.m_pool) {}

  ConnectionId id() const { return m_id; }
  Engine& engine() { return m_engine; }
  // The session whose input it is sending, while it runs.
  Session* running() const { return m_session; }
  // The number of the session it began (0: none yet).
  std::uint64_t session_number() const { return m_session_number; }
  // Its session's input has ended: it is not read any more.
  void input_over() { m_session = nullptr; }
  // The hub refused its session: the connection was closed.
  bool refused() const { return m_refused; }
  // Returns true the first time only: input after the end is reported once.
  bool first_input_after_end() { return !std::exchange(m_warned_after_end, true); }

  Flow on_begin(std::uint64_t line) override {
    (void)line;
    m_session = m_hub.begin_session(*this);
    m_refused = m_session == nullptr;
    m_session_number = m_refused ? 0 : m_session->report.session;
    if (!m_refused && m_hub.m_options.remote != nullptr) {
      m_hub.m_options.remote->begin(m_session_number, m_hub.m_options.engine.rules);
    }
    return m_refused ? Flow::stop : Flow::go_on;
  }
  void on_match(const Match& match) override {
    if (m_hub.m_options.remote != nullptr) {
      return;  // the remote side's list is the one sent
    }
    fmt::format_to(std::back_inserter(m_session->pending), "{}\n", match.seq);
  }
  void on_variant_match(const Match& match, VariantSet variants) override {
    m_session->comparison.on_variant_match(match, variants);
  }
  void on_decided(const Event& event) override {
    m_hub.m_options.remote->event(event);
    m_watermark = event.seq;
  }
  // The highest number decided here: with a RemoteDecider, every event up to it was handed
  // over.
  std::uint64_t watermark() const { return m_watermark; }
  Flow on_warning(const Warning& warning) override {
    ++m_warnings;
    const std::uint64_t max = m_hub.m_options.max_warnings;
    if (warning.kind != WarningKind::gaps && max != 0 && m_warnings > max) {
      if (m_session != nullptr) {
        ++m_session->report.unshown_warnings;
      }
      return Flow::go_on;
    }
    m_hub.m_actions.warning(m_session_number, m_id, warning);
    return Flow::go_on;
  }

 private:
  // The hub compares the rule variants of every session, for its summary and for analysing
  // a listener's ERROR.
  // With a RemoteDecider every event is handed over as it is decided (observe_events).
  static EngineOptions engine_options(const HubOptions& hub) {
    EngineOptions options = hub.engine;
    options.all_variants = true;
    options.observe_events = hub.remote != nullptr;
    return options;
  }

  SessionHub& m_hub;
  ConnectionId m_id;
  Engine m_engine;
  Session* m_session = nullptr;
  std::uint64_t m_session_number = 0;
  std::uint64_t m_warnings = 0;
  std::uint64_t m_watermark = 0;
  bool m_refused = false;
  bool m_warned_after_end = false;
};

struct SessionHub::Listener {
  explicit Listener(ConnectionId listener_id, std::size_t max_line)
      : id(listener_id), lines(max_line) {}

  ConnectionId id;
  LineReader lines;
  std::uint64_t session = 0;  // attached to this session; 0: waiting for the next one
  std::size_t chunks_sent = 0;
  std::vector<std::size_t> writes;            // numbers sent in all after each write
  std::optional<Clock::time_point> deadline;  // for its verdict, once it has the whole list
  bool left = false;                          // gone; erased at the end of the hub's entry point
};

SessionHub::SessionHub(HubOptions options, HubActions& actions,
                       std::function<Clock::time_point()> now)
    : m_options(std::move(options)),
      m_actions(actions),
      m_now(std::move(now)),
      m_pool(m_options.max_spare_table_bytes) {}

SessionHub::~SessionHub() = default;

SessionHub::Session* SessionHub::session(std::uint64_t number) {
  const auto it = m_sessions.find(number);
  return it == m_sessions.end() ? nullptr : it->second.get();
}

void SessionHub::source_connected(ConnectionId id) {
  // A new run may be starting: no earlier session takes a late listener any more.
  for (auto& [number, session] : m_sessions) {
    if (session->report.end) {
      session->newer_source = true;
    }
  }
  m_sources.emplace(id, std::make_unique<Source>(*this, id));
  for (auto it = m_sessions.begin(); it != m_sessions.end();) {
    Session& session = *(it++)->second;  // maybe_finish may erase it
    maybe_finish(session);
  }
}

void SessionHub::source_bytes(ConnectionId id, std::string_view bytes) {
  const auto it = m_sources.find(id);
  if (it == m_sources.end()) {
    return;
  }
  Source& source = *it->second;
  const Clock::time_point arrived = m_now();
  const std::uint64_t decided_before = source.engine().stats().decided;
  if (source.session_number() != 0 && source.running() == nullptr) {
    // Nothing the source says now can change its session; --record stops here too.
    if (source.first_input_after_end()) {
      m_actions.log(Severity::warn,
                    fmt::format("session {}: source {} sent more after the end of its input, "
                                "ignored",
                                source.session_number(), id));
    }
    return;
  }
  source.engine().feed(bytes);
  if (source.refused()) {
    m_sources.erase(it);
    return;
  }
  if (Session* session = source.running()) {
    const bool decided = source.engine().stats().decided != decided_before;
    if (decided) {
      input_decided(*session, arrived);
    }
    flush_matches(*session);
    if (m_options.remote != nullptr && !source.engine().end()) {
      m_options.remote->watermark(source.watermark(), false);
    }
    if (const std::optional<EngineEnd> end = source.engine().end()) {
      // The session's stream ends with this piece (--record stops here too): a line it
      // leaves open is read as replay of the recording reads it, as a last line.
      source.engine().finish();
      if (!decided && source.engine().stats().decided != decided_before) {
        input_decided(*session, arrived);
      }
      end_input(*session,
                *end == EngineEnd::buffer_limit ? SessionEnd::buffer_limit : SessionEnd::event_end);
    }
  }
  erase_left_listeners();
}

void SessionHub::source_closed(ConnectionId id, SourceClose how) {
  const auto it = m_sources.find(id);
  if (it == m_sources.end()) {
    return;
  }
  Source& source = *it->second;
  if (source.session_number() == 0) {
    // A last line without "\n" may still begin a session, as it would in replay.
    source.engine().finish();
  }
  if (source.session_number() == 0) {
    m_actions.log(Severity::debug,
                  fmt::format("source {} {} before any valid line, dropped", id,
                              how == SourceClose::idle_timeout ? "idle" : "closed"));
    m_sources.erase(it);
    m_actions.source_dropped(id);
    return;
  }
  if (Session* running = source.running()) {
    const Clock::time_point closed_at = m_now();
    const std::uint64_t decided_before = source.engine().stats().decided;
    source.engine().finish();
    if (source.engine().stats().decided != decided_before) {
      input_decided(*running, closed_at);
    }
    const bool event_end = source.engine().end() == EngineEnd::event_end;
    end_input(*running, event_end                          ? SessionEnd::event_end
                        : how == SourceClose::idle_timeout ? SessionEnd::idle_timeout
                                                           : SessionEnd::source_closed);
  }
  Session* session = this->session(source.session_number());
  m_sources.erase(it);
  if (session != nullptr) {
    session->source_open = false;
    maybe_finish(*session);
  }
  erase_left_listeners();
  schedule_wake();
}

SessionHub::Session* SessionHub::begin_session(Source& source) {
  if (m_running != nullptr) {
    m_actions.log(Severity::info,
                  fmt::format("source {} refused: session {} is running from source {}",
                              source.id(), m_running->report.session, m_running->report.source));
    m_actions.close(source.id());
    return nullptr;
  }
  auto owned = std::make_unique<Session>();
  Session& session = *owned;
  session.report.session = ++m_sessions_started;
  session.report.source = source.id();
  session.began = m_now();
  m_sessions.emplace(session.report.session, std::move(owned));
  m_running = &session;
  m_actions.session_began(session.report);
  for (auto& [id, listener] : m_listeners) {
    if (listener->session == 0 && !listener->left) {
      attach(*listener, session);
    }
  }
  return &session;
}

void SessionHub::end_input(Session& session, SessionEnd end) {
  flush_matches(session);
  Source& source = *m_sources.at(session.report.source);
  Engine& engine = source.engine();
  source.input_over();
  session.report.stats = engine.stats();
  session.report.end = end;
  session.input_ended = m_now();
  m_pool.give(engine.release_tables());
  if (m_running == &session) {
    m_running = nullptr;
  }
  if (m_options.remote != nullptr) {
    m_options.remote->watermark(source.watermark(), true);
  } else {
    list_completed(session);
  }
  m_actions.input_ended(session.report);
  maybe_finish(session);  // a listener may have judged before the end
  schedule_wake();
}

void SessionHub::flush_matches(Session& session) {
  if (session.pending.empty()) {
    return;
  }
  session.numbers +=
      static_cast<std::size_t>(std::count(session.pending.begin(), session.pending.end(), '\n'));
  session.chunks.push_back(std::make_shared<const std::string>(std::move(session.pending)));
  session.pending.clear();
  session.numbers_after.push_back(session.numbers);
  bool sent = false;
  for (auto& [id, listener] : m_listeners) {
    if (listener->session != session.report.session || listener->left) {
      continue;
    }
    m_actions.send(id, session.chunks.back());
    listener->chunks_sent = session.chunks.size();
    listener->writes.push_back(session.numbers);
    sent = true;
  }
  if (sent) {
    matches_sent(session);
  }
}

// The list is whole: its listeners have it, and their verdict deadlines run.
void SessionHub::list_completed(Session& session) {
  session.list_complete = true;
  for (auto& [id, listener] : m_listeners) {
    if (listener->session == session.report.session && !listener->left) {
      listener->deadline = m_now() + m_options.verdict_timeout;
      session.report.delivered = true;
    }
  }
}

void SessionHub::remote_decided(std::uint64_t number, const std::vector<std::uint64_t>& numbers,
                                bool complete) {
  Session* session = this->session(number);
  if (session == nullptr) {
    return;  // already final: nobody waits for it
  }
  for (const std::uint64_t match : numbers) {
    fmt::format_to(std::back_inserter(session->pending), "{}\n", match);
  }
  flush_matches(*session);
  if (complete && !session->list_complete) {
    list_completed(*session);
    maybe_finish(*session);
  }
  erase_left_listeners();
  schedule_wake();
}

// A listener was handed the session's latest matches: the timings of its report.
void SessionHub::matches_sent(Session& session) {
  const Clock::time_point now = m_now();
  session.last_match_sent = now;
  session.report.first_event_to_last_match = now - session.began;
  update_tail(session);
}

// A source piece (or the input's end) that arrived at `arrived` let events be decided.
void SessionHub::input_decided(Session& session, Clock::time_point arrived) {
  session.last_deciding_input = arrived;
  update_tail(session);
}

void SessionHub::update_tail(Session& session) {
  if (!session.last_match_sent || !session.last_deciding_input) {
    return;
  }
  session.report.input_end_to_last_match =
      std::max(Clock::duration::zero(), *session.last_match_sent - *session.last_deciding_input);
}

void SessionHub::listener_connected(ConnectionId id) {
  Listener& listener =
      *m_listeners.emplace(id, std::make_unique<Listener>(id, m_options.max_listener_line))
           .first->second;
  if (m_running != nullptr) {
    attach(listener, *m_running);
  } else if (Session* late = attachable_session()) {
    attach(listener, *late);
  } else {
    m_actions.log(Severity::info, fmt::format("listener {} waits for the next session", id));
  }
  schedule_wake();
}

SessionHub::Session* SessionHub::attachable_session() {
  if (m_sessions.empty()) {
    return nullptr;
  }
  // A session that a listener already had, or judged, has had its run's listener.
  Session& last = *m_sessions.rbegin()->second;
  return last.report.end && !last.report.delivered && !judged(last) && window_open(last) ? &last
                                                                                         : nullptr;
}

bool SessionHub::judged(const Session& session) {
  return session.report.verdicts_ok + session.report.verdicts_error != 0;
}

// While the run's source is open, its listener may come at any time. Once it has closed, only a
// run that sent its whole stream (EVENT END) may still connect its listener, within the grace:
// a source that closes without it has given the run up (a harness's timeout, a crash), and a
// listener connecting then belongs to the next run.
bool SessionHub::window_open(const Session& session) const {
  if (session.newer_source) {
    return false;
  }
  if (session.source_open) {
    return true;
  }
  return session.report.end == SessionEnd::event_end &&
         m_now() - session.input_ended <= m_options.late_listener_grace;
}

void SessionHub::attach(Listener& listener, Session& session) {
  listener.session = session.report.session;
  ++session.report.listeners;
  m_actions.log(Severity::info, fmt::format("session {}: listener {} attached",
                                            session.report.session, listener.id));
  // The whole list so far, chunk by chunk: pointers to what the other listeners were sent.
  for (const auto& chunk : session.chunks) {
    m_actions.send(listener.id, chunk);
  }
  listener.chunks_sent = session.chunks.size();
  if (!session.chunks.empty()) {
    listener.writes.push_back(session.numbers);
    matches_sent(session);
  }
  if (session.list_complete) {
    listener.deadline = m_now() + m_options.verdict_timeout;
    session.report.delivered = true;
  }
}

// What LineReader calls for each line a listener sends.
struct SessionHub::ListenerLines {
  SessionHub& hub;
  Listener& listener;
  void on_line(std::string_view line, std::uint64_t) {
    if (!listener.left) {
      hub.on_listener_line(listener, line);
    }
  }
  void on_oversized(std::uint64_t) {
    if (!listener.left) {
      // Worded once, where every listener's leaving is (HubActions::listener_left).
      hub.leave(listener, ListenerEnd::line_too_long);
    }
  }
};

void SessionHub::listener_bytes(ConnectionId id, std::string_view bytes) {
  const auto it = m_listeners.find(id);
  if (it == m_listeners.end() || it->second->left) {
    return;
  }
  Listener& listener = *it->second;
  ListenerLines lines{*this, listener};
  listener.lines.feed(bytes, lines);
  erase_left_listeners();
}

void SessionHub::on_listener_line(Listener& listener, std::string_view line) {
  if (line == k_match_begin) {
    m_actions.log(Severity::info, fmt::format("listener {}: {}", listener.id, k_match_begin));
    return;
  }
  const std::optional<Verdict> verdict = parse_verdict(line);
  if (!verdict) {
    m_actions.log(Severity::warn, fmt::format("listener {}: unexpected line {}, ignored",
                                              listener.id, quote_for_message(line)));
    return;
  }
  leave(listener, ListenerEnd::verdict, verdict);
}

void SessionHub::listener_closed(ConnectionId id, bool failed) {
  const auto it = m_listeners.find(id);
  if (it == m_listeners.end() || it->second->left) {
    return;
  }
  Listener& listener = *it->second;
  if (!failed) {
    // A last line without its "\n" still counts: a verdict, then the close.
    ListenerLines lines{*this, listener};
    listener.lines.finish(lines);
  }
  if (!listener.left) {
    leave(listener, failed ? ListenerEnd::failed : ListenerEnd::peer_closed);
  }
  erase_left_listeners();
}

// The listener is done: its report, and its session's verdicts.
void SessionHub::leave(Listener& listener, ListenerEnd end, std::optional<Verdict> verdict) {
  listener.left = true;
  if (end != ListenerEnd::peer_closed && end != ListenerEnd::failed) {
    m_actions.close(listener.id);
  }
  ListenerReport report;
  report.listener = listener.id;
  report.session = listener.session;
  report.end = end;
  report.verdict = verdict;
  Session* session = this->session(listener.session);
  if (session != nullptr) {
    report.numbers_sent =
        listener.chunks_sent == 0 ? 0 : session->numbers_after[listener.chunks_sent - 1];
    report.whole_list = session->list_complete && listener.chunks_sent == session->chunks.size();
    if (verdict == Verdict::ok) {
      ++session->report.verdicts_ok;
    } else if (verdict == Verdict::error) {
      ++session->report.verdicts_error;
    }
  }
  if (verdict == Verdict::error && session != nullptr) {
    SentPrefix sent;
    sent.rules = m_options.engine.rules;
    sent.count = report.numbers_sent;
    sent.complete = report.whole_list;
    sent.writes = listener.writes;
    const ErrorAnalysis analysis = analyze_error(session->comparison, sent);
    m_actions.listener_left(report, &analysis);
  } else {
    m_actions.listener_left(report, nullptr);
  }
  if (session != nullptr) {
    maybe_finish(*session);
  }
}

void SessionHub::maybe_finish(Session& session) {
  if (!session.report.end) {
    return;
  }
  for (const auto& [id, listener] : m_listeners) {
    if (listener->session == session.report.session && !listener->left) {
      return;  // its verdict may still come
    }
  }
  if (!session.report.delivered && !judged(session) && window_open(session)) {
    return;  // its late listener may still come
  }
  finish(session);
}

void SessionHub::finish(Session& session) {
  SessionReport& report = session.report;
  const std::optional<std::uint64_t> divergence = session.comparison.first_divergence();
  report.rules_agree = !divergence.has_value();
  if (divergence) {
    report.first_divergence = session.comparison.explain(*divergence);
  }
  m_actions.summary(report);
  m_sessions.erase(report.session);
}

void SessionHub::wake() {
  m_wake.reset();
  const Clock::time_point now = m_now();
  for (auto& [id, listener] : m_listeners) {
    if (!listener->left && listener->deadline && *listener->deadline <= now) {
      // Worded once, where every listener's leaving is (HubActions::listener_left).
      leave(*listener, ListenerEnd::verdict_timeout);
    }
  }
  for (auto it = m_sessions.begin(); it != m_sessions.end();) {
    Session& session = *(it++)->second;
    maybe_finish(session);
  }
  erase_left_listeners();
  schedule_wake();
}

// One wake-up, at the earliest of: a listener's verdict deadline, the end of a session's
// late listener window.
void SessionHub::schedule_wake() {
  if (m_shut_down) {
    return;
  }
  std::optional<Clock::time_point> earliest;
  const auto consider = [&](Clock::time_point when) {
    if (!earliest || when < *earliest) {
      earliest = when;
    }
  };
  for (const auto& [id, listener] : m_listeners) {
    if (!listener->left && listener->deadline) {
      consider(*listener->deadline);
    }
  }
  for (const auto& [number, session] : m_sessions) {
    if (session->report.end == SessionEnd::event_end && !session->source_open &&
        !session->newer_source && !session->report.delivered && !judged(*session)) {
      consider(session->input_ended + m_options.late_listener_grace + std::chrono::milliseconds(1));
    }
  }
  if (earliest && earliest != m_wake) {
    m_wake = earliest;
    m_actions.wake_at(*earliest);
  }
}

void SessionHub::erase_left_listeners() {
  std::erase_if(m_listeners, [](const auto& entry) { return entry.second->left; });
}

void SessionHub::shutdown() {
  m_shut_down = true;
  if (m_running != nullptr) {
    Session& running = *m_running;
    Engine& engine = m_sources.at(running.report.source)->engine();
    const Clock::time_point cut_at = m_now();
    const std::uint64_t decided_before = engine.stats().decided;
    engine.finish();
    if (engine.stats().decided != decided_before) {
      input_decided(running, cut_at);
    }
    end_input(running, SessionEnd::shutdown);
  }
  for (auto& [id, listener] : m_listeners) {
    if (!listener->left && listener->session != 0 && session(listener->session) != nullptr) {
      leave(*listener, ListenerEnd::shutdown);
    }
  }
  while (!m_sessions.empty()) {
    finish(*m_sessions.begin()->second);
  }
  m_sources.clear();
  m_listeners.clear();
}

}  // namespace likematch
