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
    case SessionEnd::remote_failed:
      return "cut: its matches could not be decided";
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
  // Another session began: a late listener can no longer be this one's.
  bool superseded = false;
  // Every number of the list is in `chunks` or `pending`: at the input's end, or with a
  // RemoteDecider once the remote side said so.
  bool list_complete = false;
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
  std::uint64_t session = 0;  // attached to this session; 0: not attached (yet)
  // Not attached, deciding between the undelivered session and a new one until then.
  std::optional<Clock::time_point> decide_at;
  std::size_t chunks_sent = 0;                // handed to the transport
  std::size_t chunks_written = 0;             // of those, written to the socket
  std::vector<std::size_t> writes;            // numbers sent in all after each send
  std::optional<Clock::time_point> deadline;  // for its verdict, once its whole list is written
  bool spoke = false;                         // it sent a byte
  std::uint64_t unexpected_lines = 0;
  bool left = false;  // gone; erased at the end of the hub's entry point
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
  // A connection alone changes no session: a port probe, or a source yet to speak.
  m_sources.emplace(id, std::make_unique<Source>(*this, id));
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
      m_actions.event({.kind = HubEvent::Kind::input_after_end,
                       .session = source.session_number(),
                       .source = id});
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
      decide_rest(source, *session, arrived);
      end_input(*session,
                *end == EngineEnd::buffer_limit ? SessionEnd::buffer_limit : SessionEnd::event_end);
    }
  }
  erase_left_listeners();
}

// The session's input ends at `at`: what its source left buffered is decided now, so that
// moment is the piece that decided it (for the tail).
void SessionHub::decide_rest(Source& source, Session& session, Clock::time_point at) {
  const std::uint64_t decided_before = source.engine().stats().decided;
  source.engine().finish();
  if (source.engine().stats().decided != decided_before) {
    input_decided(session, at);
  }
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
    m_actions.event({.kind = HubEvent::Kind::source_dropped,
                     .source = id,
                     .idle = how == SourceClose::idle_timeout});
    m_sources.erase(it);
    m_actions.source_dropped(id);
    return;
  }
  if (Session* running = source.running()) {
    decide_rest(source, *running, m_now());
    // A last EVENT END without its "\n" is read by the finish.
    const bool event_end = source.engine().end() == EngineEnd::event_end;
    end_input(*running, event_end                          ? SessionEnd::event_end
                        : how == SourceClose::idle_timeout ? SessionEnd::idle_timeout
                                                           : SessionEnd::source_closed);
  }
  // The list stays deliverable: the source's close says nothing about its listener.
  m_sources.erase(it);
  erase_left_listeners();
}

SessionHub::Session* SessionHub::begin_session(Source& source) {
  if (m_running != nullptr) {
    m_actions.event({.kind = HubEvent::Kind::source_refused,
                     .session = m_running->report.session,
                     .source = source.id(),
                     .running_source = m_running->report.source});
    m_actions.close(source.id());
    return nullptr;
  }
  const std::uint64_t number = ++m_sessions_started;
  // A new run began: the lists still waiting for a late listener are not its.
  for (auto& [earlier, session] : m_sessions) {
    session->superseded = true;
    if (!had_listener(*session)) {
      session->report.superseded_by = number;
    }
  }
  maybe_finish_all();
  auto owned = std::make_unique<Session>();
  Session& session = *owned;
  session.report.session = number;
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

// The list is whole: once it is written to a listener, that listener's verdict bound runs.
void SessionHub::list_completed(Session& session) {
  session.list_complete = true;
  for (auto& [id, listener] : m_listeners) {
    if (listener->session == session.report.session && !listener->left) {
      check_written(*listener, session);
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

void SessionHub::remote_failed(std::uint64_t number) {
  Session* failed = session(number);
  if (failed == nullptr || failed->list_complete) {
    return;  // final already, or whole: nothing is lost
  }
  failed->report.remote_failed = true;
  m_actions.event({.kind = HubEvent::Kind::remote_failed, .session = number});
  if (m_running == failed) {
    // What the source sends now can never be decided: its input ends here, and it is told.
    const ConnectionId source = failed->report.source;
    end_input(*failed, SessionEnd::remote_failed);
    m_actions.close(source);
    m_sources.erase(source);
  }
  for (auto& [id, listener] : m_listeners) {
    if (listener->session == number && !listener->left) {
      leave(*listener, ListenerEnd::remote_failed);
    }
  }
  // No late listener may take a list that will never be whole (a listener that judged it may
  // have made it final already).
  if (Session* still = session(number)) {
    finish(*still);
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
  } else if (Session* late = deliverable_session()) {
    if (m_now() - late->input_ended <= m_options.late_listener_grace ||
        m_options.new_source_wait.count() <= 0) {
      attach(listener, *late);
    } else {
      // As likely the first of a new run as the late one of the last: a new run's source
      // follows its listener within moments, so wait that long for one to begin.
      listener.decide_at = m_now() + m_options.new_source_wait;
      m_actions.event({.kind = HubEvent::Kind::listener_deciding,
                       .session = late->report.session,
                       .listener = id,
                       .wait = m_options.new_source_wait});
    }
  } else {
    m_actions.event({.kind = HubEvent::Kind::listener_waits, .listener = id});
  }
  schedule_wake();
}

// The last session, if its input has ended and its list still waits for its listener.
SessionHub::Session* SessionHub::deliverable_session() {
  if (m_sessions.empty()) {
    return nullptr;
  }
  Session& last = *m_sessions.rbegin()->second;
  return last.report.end && !last.superseded && !had_listener(last) ? &last : nullptr;
}

// The run's listener came: one judged the list, or had it all written and spoke, or has it all
// written and is still there (a silent listener that then times out or leaves gave no sign).
bool SessionHub::had_listener(const Session& session) const {
  if (session.report.delivered || judged(session)) {
    return true;
  }
  return std::any_of(m_listeners.begin(), m_listeners.end(), [&](const auto& entry) {
    const Listener& listener = *entry.second;
    return !listener.left && listener.session == session.report.session && session.list_complete &&
           listener.chunks_written == session.chunks.size();
  });
}

bool SessionHub::judged(const Session& session) {
  return session.report.verdicts_ok + session.report.verdicts_error != 0;
}

// The wait of a listener that came while a list waited undelivered is over, and no new
// session began (that would have attached it): the list is its.
void SessionHub::decide_pending(Listener& listener) {
  listener.decide_at.reset();
  if (Session* late = deliverable_session()) {
    attach(listener, *late);
  } else {
    m_actions.event({.kind = HubEvent::Kind::listener_waits, .listener = listener.id});
  }
}

void SessionHub::attach(Listener& listener, Session& session) {
  listener.decide_at.reset();
  listener.session = session.report.session;
  ++session.report.listeners;
  m_actions.event({.kind = HubEvent::Kind::listener_attached,
                   .session = session.report.session,
                   .listener = listener.id});
  // The whole list so far, chunk by chunk: pointers to what the other listeners were sent.
  for (const auto& chunk : session.chunks) {
    m_actions.send(listener.id, chunk);
  }
  listener.chunks_sent = session.chunks.size();
  if (!session.chunks.empty()) {
    listener.writes.push_back(session.numbers);
    matches_sent(session);
  }
  check_written(listener, session);
}

// Once the session's input has ended and its whole list is written to the listener, its
// verdict bound starts; if it spoke, the session had its listener.
void SessionHub::check_written(Listener& listener, Session& session) {
  if (!session.list_complete || listener.chunks_written != session.chunks.size()) {
    return;
  }
  if (!listener.deadline) {
    listener.deadline = m_now() + m_options.verdict_timeout;
  }
  if (listener.spoke) {
    session.report.delivered = true;
  }
}

void SessionHub::listener_written(ConnectionId id, std::size_t chunks) {
  const auto it = m_listeners.find(id);
  if (it == m_listeners.end() || it->second->left) {
    return;
  }
  Listener& listener = *it->second;
  listener.chunks_written = std::min(listener.chunks_sent, listener.chunks_written + chunks);
  if (Session* session = this->session(listener.session)) {
    check_written(listener, *session);
  }
  schedule_wake();
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
  if (!bytes.empty() && !std::exchange(listener.spoke, true)) {
    if (Session* session = this->session(listener.session)) {
      check_written(listener, *session);
    }
  }
  ListenerLines lines{*this, listener};
  listener.lines.feed(bytes, lines);
  erase_left_listeners();
}

void SessionHub::on_listener_line(Listener& listener, std::string_view line) {
  if (line == k_match_begin) {
    m_actions.event({.kind = HubEvent::Kind::listener_greeted, .listener = listener.id});
    return;
  }
  const std::optional<Verdict> verdict = parse_verdict(line);
  if (!verdict) {
    // Capped as a source's warnings are: a flood of junk must not flood the log.
    const std::uint64_t max = m_options.max_warnings;
    if (max == 0 || ++listener.unexpected_lines <= max) {
      m_actions.event({.kind = HubEvent::Kind::listener_line_ignored,
                       .listener = listener.id,
                       .line = std::string(line)});
    }
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
  listener.decide_at.reset();
  if (end != ListenerEnd::peer_closed && end != ListenerEnd::failed) {
    m_actions.close(listener.id);
  }
  ListenerReport report;
  report.listener = listener.id;
  report.session = listener.session;
  report.end = end;
  report.verdict = verdict;
  report.spoke = listener.spoke;
  const std::uint64_t max = m_options.max_warnings;
  report.unshown_lines =
      max == 0 || listener.unexpected_lines <= max ? 0 : listener.unexpected_lines - max;
  Session* session = this->session(listener.session);
  if (session != nullptr) {
    const auto numbers_in = [&](std::size_t chunks) {
      return chunks == 0 ? std::size_t{0} : session->numbers_after[chunks - 1];
    };
    report.numbers_written = numbers_in(listener.chunks_written);
    report.numbers_queued = numbers_in(listener.chunks_sent) - report.numbers_written;
    report.whole_list = session->list_complete && listener.chunks_written == session->chunks.size();
    if (verdict == Verdict::ok) {
      ++session->report.verdicts_ok;
    } else if (verdict == Verdict::error) {
      ++session->report.verdicts_error;
    }
  }
  if (verdict == Verdict::error && session != nullptr) {
    // The listener judged what it read, which may include numbers still on their way.
    SentPrefix sent;
    sent.rules = m_options.engine.rules;
    sent.count = report.numbers_written + report.numbers_queued;
    sent.complete = session->list_complete && listener.chunks_sent == session->chunks.size();
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

// A session is final once its input has ended, no listener attached to it is left, and it had
// its listener or another session began.
void SessionHub::maybe_finish(Session& session) {
  if (!session.report.end) {
    return;
  }
  for (const auto& [id, listener] : m_listeners) {
    if (listener->session == session.report.session && !listener->left) {
      return;  // its verdict may still come
    }
  }
  if (!had_listener(session) && !session.superseded) {
    return;  // its late listener may still come, however late
  }
  finish(session);
}

void SessionHub::maybe_finish_all() {
  for (auto it = m_sessions.begin(); it != m_sessions.end();) {
    Session& session = *(it++)->second;  // maybe_finish may erase it
    maybe_finish(session);
  }
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
    if (listener->left) {
      continue;
    }
    if (listener->deadline && *listener->deadline <= now) {
      // Worded once, where every listener's leaving is (HubActions::listener_left).
      leave(*listener, ListenerEnd::verdict_timeout);
    } else if (listener->decide_at && *listener->decide_at <= now) {
      decide_pending(*listener);
    }
  }
  maybe_finish_all();
  erase_left_listeners();
  schedule_wake();
}

// One wake-up, at the earliest of: a listener's verdict deadline, the end of a listener's wait
// for a new session.
void SessionHub::schedule_wake() {
  if (m_shut_down) {
    return;
  }
  std::optional<Clock::time_point> earliest;
  const auto consider = [&](const std::optional<Clock::time_point>& when) {
    if (when && (!earliest || *when < *earliest)) {
      earliest = when;
    }
  };
  for (const auto& [id, listener] : m_listeners) {
    if (!listener->left) {
      consider(listener->deadline);
      consider(listener->decide_at);
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
    decide_rest(*m_sources.at(running.report.source), running, m_now());
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
