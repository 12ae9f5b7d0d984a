#include "core/session/session_hub.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/rules/error_analysis.hpp"
#include "core/engine/line_parser.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch {

namespace {

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

bool starts_session(const ParsedLine& parsed) {
  if (std::holds_alternative<Event>(parsed)) {
    return true;
  }
  const auto* control = std::get_if<ControlLine>(&parsed);
  return control != nullptr && *control == ControlLine::event_begin;
}

std::string_view trim_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  return line;
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::none:
      return "none";
    case Verdict::ok:
      return "MATCH END - OK";
    case Verdict::error:
      return "MATCH END - ERROR";
  }
  return "?";
}

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
    case SessionEnd::cut:
      return "cut by shutdown";
  }
  return "?";
}

std::string format_summary(const SessionReport& report) {
  const Stats& s = report.stats;
  std::string timing;
  if (report.first_event_to_last_match) {
    const std::chrono::duration<double> seconds = *report.first_event_to_last_match;
    timing = fmt::format("first event to last match written {:.3f} s", seconds.count());
  } else if (s.matches == 0) {
    timing = "no match to write";
  } else {
    timing = "matches never fully written";
  }
  std::string rules;
  if (report.rules_agree) {
    rules = *report.rules_agree ? ", rule variants agree" : ", rule variants differ";
  }
  std::string warnings;
  if (report.unshown_warnings != 0) {
    warnings = fmt::format(", {} warnings not logged", report.unshown_warnings);
  }
  return fmt::format(
      "session {} ({}): {} events, {} matches, {} malformed, {} duplicates, {} late, {} gaps, "
      "largest reorder depth {}, {}, {} listener{}, verdict {}{}{}",
      report.session, report.end ? to_string(*report.end) : std::string_view("running"), s.events,
      s.matches, s.malformed, s.duplicates, s.late, s.gaps, s.max_buffered, timing,
      report.listeners, report.listeners == 1 ? "" : "s",
      report.verdict == Verdict::none ? std::string_view("none") : to_string(report.verdict), rules,
      warnings);
}

// The hub compares the rule variants of every session, for its summary and for diagnosing a
// listener's ERROR.
EngineOptions with_all_variants(EngineOptions options) {
  options.all_variants = true;
  return options;
}

// One session: its engine while the input runs, its match list as the text listeners get.
class SessionHub::Session : public EngineSink {
 public:
  // With `spare`, the engine is built on its tables (see SessionHub::keep_spare).
  Session(const HubOptions& options, HubActions& actions, std::uint64_t number, ConnectionId source,
          std::uint64_t lines_before, std::unique_ptr<Engine> spare)
      : m_engine(spare ? std::make_unique<Engine>(with_all_variants(options.engine), *this,
                                                  std::move(*spare))
                       : std::make_unique<Engine>(with_all_variants(options.engine), *this)),
        m_actions(actions),
        m_max_warnings(options.max_warnings),
        m_lines_before(lines_before) {
    m_report.session = number;
    m_report.source = source;
  }

  void on_match(const Match& match) override {
    fmt::format_to(std::back_inserter(m_text), "{}\n", match.seq);
    ++m_numbers;
  }

  // Every variant's list is kept, so that a listener's verdict can be explained.
  void on_candidate(const Match& match, std::uint8_t variants) override {
    m_comparison.on_candidate(match, variants);
  }
  void on_decided(const Event& event) override { m_comparison.on_decided(event); }

  void on_diagnostic(const Diagnostic& diagnostic) override {
    ++m_warnings;
    if (diagnostic.kind != DiagnosticKind::gaps && m_max_warnings != 0 &&
        m_warnings > m_max_warnings) {
      ++m_report.unshown_warnings;
      return;
    }
    if (diagnostic.line == 0) {
      m_actions.log(Severity::warn,
                    fmt::format("session {}: {}", m_report.session, diagnostic.message));
    } else {
      m_actions.log(
          Severity::warn,
          fmt::format("session {}: source {} line {}: {}", m_report.session, m_report.source,
                      diagnostic.line + m_lines_before, diagnostic.message));
    }
  }

  Engine* engine() { return m_engine.get(); }
  // The input has ended: keep the numbers, hand over the engine and its tables.
  std::unique_ptr<Engine> release_engine() {
    m_report.stats = m_engine->stats();
    return std::move(m_engine);
  }
  // The counters stay current while the engine runs.
  SessionReport& report() const {
    if (m_engine) {
      m_report.stats = m_engine->stats();
    }
    return m_report;
  }
  const std::string& text() const { return m_text; }
  std::size_t numbers() const { return m_numbers; }
  const RuleComparison& comparison() const { return m_comparison; }
  bool running() const { return !m_report.end.has_value(); }

  std::chrono::steady_clock::time_point started() const { return m_started; }
  void set_started(std::chrono::steady_clock::time_point at) { m_started = at; }
  // The summary was given: nothing can change this session any more.
  bool final() const { return m_final; }
  void set_final() { m_final = true; }
  // Returns true the first time only: input after the end is reported once per session.
  bool first_input_after_end() { return !std::exchange(m_warned_after_end, true); }

 private:
  std::chrono::steady_clock::time_point m_started;
  bool m_final = false;
  bool m_warned_after_end = false;
  std::unique_ptr<Engine> m_engine;
  HubActions& m_actions;
  std::uint64_t m_max_warnings;
  std::uint64_t m_lines_before;
  std::uint64_t m_warnings = 0;
  std::string m_text;
  std::size_t m_numbers = 0;  // lines in m_text
  RuleComparison m_comparison;
  mutable SessionReport m_report;
};

// A source connection that has not sent a valid line yet.
struct SessionHub::Candidate {
  std::string partial;
  std::uint64_t lines = 0;
  bool discarding = false;
  bool at_start = true;
};

struct SessionHub::Listener {
  std::uint64_t session = 0;        // attached to this session; 0: waiting for the next one
  std::size_t cursor = 0;           // bytes of the session's text already sent
  std::vector<std::size_t> writes;  // numbers sent in all after each write, for a diagnosis
};

SessionHub::SessionHub(HubOptions options, HubActions& actions)
    : m_options(std::move(options)), m_actions(actions) {}

SessionHub::~SessionHub() = default;

const SessionReport* SessionHub::current() const {
  return m_session ? &m_session->report() : nullptr;
}

void SessionHub::source_connected(ConnectionId id) {
  m_candidates.emplace(id, Candidate{});
}

void SessionHub::source_bytes(ConnectionId id, std::string_view bytes) {
  if (m_session && m_session->running() && m_session->report().source == id) {
    feed(bytes);
    return;
  }
  if (auto it = m_candidates.find(id); it != m_candidates.end()) {
    on_candidate_bytes(id, it->second, bytes);
    return;
  }
  // The source of a session whose input has ended: nothing it says can change that session.
  if (m_session && m_session->report().source == id && m_session->first_input_after_end()) {
    m_actions.log(Severity::warn, fmt::format("session {}: source {} sent more after the end of "
                                              "its input, ignored",
                                              m_session->report().session, id));
  }
}

void SessionHub::on_candidate_bytes(ConnectionId id, Candidate& candidate, std::string_view bytes) {
  const std::size_t max_line = m_options.engine.max_line_length;
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    const bool complete = newline != std::string_view::npos;
    bytes = complete ? bytes.substr(newline + 1) : std::string_view{};
    if (candidate.discarding) {
      candidate.discarding = !complete;
      continue;
    }
    if (candidate.partial.size() + piece.size() > max_line) {
      ++candidate.lines;
      candidate.partial.clear();
      candidate.discarding = !complete;
      continue;
    }
    if (!complete) {
      candidate.partial.append(piece);
      continue;
    }
    ++candidate.lines;
    std::string line = std::move(candidate.partial);
    candidate.partial.clear();
    line.append(piece);
    std::string_view view = line;
    if (candidate.at_start) {
      candidate.at_start = false;
      if (view.starts_with(k_byte_order_mark)) {
        view.remove_prefix(k_byte_order_mark.size());
      }
    }
    if (!starts_session(parse_line(view))) {
      m_actions.log(Severity::debug,
                    fmt::format("source {} line {}: {} before the session, ignored", id,
                                candidate.lines, quote_for_message(view)));
      continue;
    }
    if (m_session && m_session->running()) {
      m_actions.log(Severity::warn,
                    fmt::format("source {} refused: session {} is running from source {}", id,
                                m_session->report().session, m_session->report().source));
      m_candidates.erase(id);
      m_actions.close(id);
      return;
    }
    const std::uint64_t lines_before = candidate.lines - 1;
    m_candidates.erase(id);
    start_session(id, view, bytes, lines_before);
    return;
  }
}

void SessionHub::start_session(ConnectionId source, std::string_view first_line,
                               std::string_view rest, std::uint64_t lines_before) {
  if (m_session && !m_session->final()) {
    finish_session();
  }
  ++m_sessions;
  m_session = std::make_unique<Session>(m_options, m_actions, m_sessions, source, lines_before,
                                        std::move(m_spare));
  m_session->set_started(m_options.clock());
  m_actions.log(Severity::info, fmt::format("session {} begins, from source {} ({})", m_sessions,
                                            source, describe(m_options.engine.rules)));
  for (auto& [id, listener] : m_listeners) {
    attach(id, listener);
  }
  std::string first(first_line);
  first.push_back('\n');
  m_session->engine()->feed(first);
  feed(rest);
}

void SessionHub::feed(std::string_view bytes) {
  Engine& engine = *m_session->engine();
  engine.feed(bytes);
  flush_matches();
  if (engine.ended()) {
    end_input(engine.stats().cut ? SessionEnd::buffer_limit : SessionEnd::event_end);
  }
}

void SessionHub::attach(ConnectionId id, Listener& listener) {
  listener.session = m_session->report().session;
  listener.cursor = 0;
  listener.writes.clear();
  ++m_session->report().listeners;
  m_actions.log(Severity::info,
                fmt::format("session {}: listener {} attached", m_session->report().session, id));
}

void SessionHub::flush_matches() {
  const std::string& text = m_session->text();
  const std::uint64_t number = m_session->report().session;
  bool wrote_last = false;
  for (auto& [id, listener] : m_listeners) {
    if (listener.session != number || listener.cursor == text.size()) {
      continue;
    }
    m_actions.send(id, std::string_view(text).substr(listener.cursor));
    listener.cursor = text.size();
    listener.writes.push_back(m_session->numbers());
    wrote_last = true;
  }
  if (wrote_last) {
    m_session->report().first_event_to_last_match = m_options.clock() - m_session->started();
  }
}

void SessionHub::end_input(SessionEnd end) {
  Session& session = *m_session;
  if (end != SessionEnd::cut) {
    // Whatever is buffered is decided now; the missing numbers are reported.
    session.engine()->finish();
    flush_matches();
  }
  keep_spare(session.release_engine());
  SessionReport& report = session.report();
  report.end = end;
  bool any_listener = false;
  for (const auto& [id, listener] : m_listeners) {
    any_listener = any_listener || listener.session == report.session;
  }
  // A listener may judge before the input ends: the harness knows when its list is complete.
  report.delivered = session.text().empty() || any_listener || report.verdict != Verdict::none;
  m_actions.log(Severity::info,
                fmt::format("session {} input ended ({}): {} events, {} matches{}", report.session,
                            to_string(end), report.stats.events, report.stats.matches,
                            report.delivered ? "" : ", waiting for a listener"));
  maybe_finish_session();
}

// Emptying the tables here rather than at the next session's start keeps the memset (about
// 1 ms for a 1M-event session) out of both sessions' time: the last matches are already out.
void SessionHub::keep_spare(std::unique_ptr<Engine> engine) {
  if (engine->table_bytes() > m_options.max_spare_table_bytes) {
    return;
  }
  engine->recycle();
  m_spare = std::move(engine);
}

void SessionHub::maybe_finish_session() {
  if (!m_session || m_session->final() || m_session->running() || !m_session->report().delivered) {
    return;
  }
  for (const auto& [id, listener] : m_listeners) {
    if (listener.session == m_session->report().session) {
      return;  // its verdict may still come
    }
  }
  finish_session();
}

void SessionHub::finish_session() {
  Session& session = *m_session;
  if (session.running()) {
    end_input(SessionEnd::cut);
    if (session.final()) {
      return;
    }
  }
  session.set_final();
  SessionReport& report = session.report();
  const std::optional<std::uint64_t> parting = session.comparison().first_divergence();
  report.rules_agree = !parting.has_value();
  if (parting) {
    m_actions.log(Severity::info,
                  fmt::format("session {}: the rule variants part first at {}", report.session,
                              session.comparison().explain(*parting)));
  }
  m_actions.summary(report);
}

void SessionHub::source_closed(ConnectionId id, SourceClose how) {
  if (auto it = m_candidates.find(id); it != m_candidates.end()) {
    m_actions.log(Severity::debug,
                  fmt::format("source {} {} before any valid line, dropped", id,
                              how == SourceClose::idle_timeout ? "idle" : "closed"));
    m_candidates.erase(it);
    return;
  }
  if (m_session && m_session->running() && m_session->report().source == id) {
    end_input(how == SourceClose::idle_timeout ? SessionEnd::idle_timeout
                                               : SessionEnd::source_closed);
    return;
  }
  m_actions.log(Severity::debug, fmt::format("source {} closed", id));
}

void SessionHub::listener_connected(ConnectionId id) {
  Listener& listener = m_listeners[id];
  if (!m_session || m_session->final() ||
      (!m_session->running() && m_session->report().delivered)) {
    m_actions.log(Severity::info, fmt::format("listener {} waits for the next session", id));
    return;
  }
  attach(id, listener);
  flush_matches();
  if (!m_session->running()) {
    m_session->report().delivered = true;
  }
}

void SessionHub::listener_line(ConnectionId id, std::string_view line) {
  auto it = m_listeners.find(id);
  if (it == m_listeners.end()) {
    return;
  }
  line = trim_cr(line);
  const Listener& listener = it->second;
  const bool attached = m_session && listener.session == m_session->report().session;
  if (line == "MATCH BEGIN") {
    m_actions.log(Severity::info, fmt::format("listener {}: MATCH BEGIN", id));
    return;
  }
  Verdict verdict = Verdict::none;
  if (line == "MATCH END - OK") {
    verdict = Verdict::ok;
  } else if (line == "MATCH END - ERROR") {
    verdict = Verdict::error;
  } else {
    m_actions.log(Severity::warn, fmt::format("listener {}: unexpected line {}, ignored", id,
                                              quote_for_message(line)));
    return;
  }
  if (!attached) {
    m_actions.log(Severity::warn,
                  fmt::format("listener {}: {} without a session, closed", id, to_string(verdict)));
  } else {
    SessionReport& report = m_session->report();
    if (report.verdict != Verdict::error) {
      report.verdict = verdict;
    }
    m_actions.verdict(id, verdict, report);
    if (verdict == Verdict::error) {
      diagnose(id, listener);
    }
  }
  m_listeners.erase(it);
  m_actions.close(id);
  maybe_finish_session();
}

void SessionHub::diagnose(ConnectionId id, const Listener& listener) {
  const std::string& text = m_session->text();
  SentPrefix sent;
  sent.rules = m_options.engine.rules;
  sent.count = static_cast<std::size_t>(
      std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(listener.cursor), '\n'));
  sent.complete = !m_session->running() && listener.cursor == text.size();
  sent.writes = listener.writes;
  for (const std::string& line : diagnose_error(m_session->comparison(), sent)) {
    m_actions.log(Severity::warn, fmt::format("session {}: listener {}: {}",
                                              m_session->report().session, id, line));
  }
}

void SessionHub::listener_closed(ConnectionId id) {
  auto it = m_listeners.find(id);
  if (it == m_listeners.end()) {
    return;
  }
  const Listener listener = it->second;
  m_listeners.erase(it);
  if (m_session && listener.session == m_session->report().session && !m_session->final()) {
    m_actions.log(Severity::info,
                  fmt::format("session {}: listener {} closed without a verdict after {} "
                              "matches",
                              m_session->report().session, id,
                              std::count(m_session->text().begin(),
                                         m_session->text().begin() +
                                             static_cast<std::ptrdiff_t>(listener.cursor),
                                         '\n')));
    maybe_finish_session();
  } else {
    m_actions.log(Severity::debug, fmt::format("listener {} closed", id));
  }
}

void SessionHub::shutdown() {
  if (m_session && !m_session->final()) {
    finish_session();
  }
  m_candidates.clear();
  m_listeners.clear();
}

}  // namespace likematch
