#include "core/session/session_hub.hpp"

#include <catch2/catch.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/harness/generator.hpp"
#include "core/rules/rule_comparison.hpp"

#include "tests/support/challenge_example.hpp"
#include "tests/support/streams.hpp"

namespace likematch {
namespace {

using namespace std::chrono_literals;
using Clock = SessionHub::Clock;
using test::expected_list;
using test::k_lines_only;
using test::stream_text;

// Records every action the hub takes and everything it reports.
class Recorder : public HubActions {
 public:
  void send(ConnectionId listener, std::shared_ptr<const std::string> bytes) override {
    if (on_send) {
      on_send();
    }
    sent[listener].append(*bytes);
    ++sends[listener];
    ++unwritten[listener];
    chunks[listener].push_back(std::move(bytes));
  }
  void close(ConnectionId connection) override {
    closed.push_back(connection);
    unwritten.erase(connection);
  }
  void wake_at(Clock::time_point when) override { wake = when; }
  void event(const HubEvent& event) override { events.push_back(event); }
  void warning(std::uint64_t session, ConnectionId source, const Warning& warning) override {
    warnings.push_back({session, source, warning});
  }
  void session_began(const SessionReport& report) override { began.push_back(report); }
  void input_ended(const SessionReport& report) override { ended.push_back(report); }
  void listener_left(const ListenerReport& report, const ErrorAnalysis* analysis) override {
    left.push_back({report, analysis != nullptr ? std::optional(*analysis) : std::nullopt});
  }
  void summary(const SessionReport& report) override { summaries.push_back(report); }
  void source_dropped(ConnectionId source) override { dropped.push_back(source); }

  // The events of `kind` the hub reported about `connection` (a source or a listener).
  std::vector<HubEvent> saw(HubEvent::Kind kind, ConnectionId connection) const {
    std::vector<HubEvent> found;
    for (const HubEvent& event : events) {
      if (event.kind == kind && (event.source == connection || event.listener == connection)) {
        found.push_back(event);
      }
    }
    return found;
  }
  bool was_closed(ConnectionId id) const {
    return std::find(closed.begin(), closed.end(), id) != closed.end();
  }
  // The report of the listener's leaving, if it left.
  const ListenerReport* left_report(ConnectionId listener) const {
    for (const auto& entry : left) {
      if (entry.report.listener == listener) {
        return &entry.report;
      }
    }
    return nullptr;
  }

  struct WarningCall {
    std::uint64_t session;
    ConnectionId source;
    Warning warning;
  };
  struct LeftCall {
    ListenerReport report;
    std::optional<ErrorAnalysis> analysis;
  };

  // Runs at every send: a test moves its clock there, as the time a send takes.
  std::function<void()> on_send;
  std::map<ConnectionId, std::string> sent;
  std::map<ConnectionId, int> sends;
  std::map<ConnectionId, std::vector<std::shared_ptr<const std::string>>> chunks;
  std::map<ConnectionId, std::size_t> unwritten;  // chunks sent, not yet reported written
  std::vector<ConnectionId> closed;
  std::optional<Clock::time_point> wake;
  std::vector<HubEvent> events;
  std::vector<WarningCall> warnings;
  std::vector<SessionReport> began;
  std::vector<SessionReport> ended;
  std::vector<LeftCall> left;
  std::vector<SessionReport> summaries;
  std::vector<ConnectionId> dropped;
};

constexpr std::string_view k_example = likematch::test::k_challenge_example;

constexpr ConnectionId k_source = 1;
constexpr ConnectionId k_listener = 2;

// The hub as a transport drives it: after each call, a transport whose listeners read at once
// reports every chunk it was sent as written; with a slow one the test says when (written()).
class DrivenHub {
 public:
  DrivenHub(SessionHub& hub, Recorder& actions, bool fast_readers)
      : m_hub(hub), m_actions(actions), m_fast(fast_readers) {}

  void source_connected(ConnectionId id) {
    m_hub.source_connected(id);
    settle();
  }
  void source_bytes(ConnectionId id, std::string_view bytes) {
    m_hub.source_bytes(id, bytes);
    settle();
  }
  void source_closed(ConnectionId id, SourceClose how = SourceClose::closed) {
    m_hub.source_closed(id, how);
    settle();
  }
  void listener_connected(ConnectionId id) {
    m_hub.listener_connected(id);
    settle();
  }
  void listener_bytes(ConnectionId id, std::string_view bytes) {
    m_hub.listener_bytes(id, bytes);
    settle();
  }
  void listener_closed(ConnectionId id, bool failed = false) {
    m_hub.listener_closed(id, failed);
    settle();
  }
  void wake() {
    m_hub.wake();
    settle();
  }
  void remote_decided(std::uint64_t session, const std::vector<std::uint64_t>& numbers,
                      bool complete) {
    m_hub.remote_decided(session, numbers, complete);
    settle();
  }
  void remote_failed(std::uint64_t session) {
    m_hub.remote_failed(session);
    settle();
  }
  void shutdown() { m_hub.shutdown(); }
  std::uint64_t sessions_started() const { return m_hub.sessions_started(); }
  std::size_t spare_table_bytes() const { return m_hub.spare_table_bytes(); }

  // The transport wrote everything it was sent to `listener` (all listeners: 0).
  void written(ConnectionId listener = 0) {
    for (auto& [id, chunks] : m_actions.unwritten) {
      if ((listener == 0 || id == listener) && chunks != 0) {
        m_hub.listener_written(id, std::exchange(chunks, 0));
      }
    }
  }

 private:
  void settle() {
    if (m_fast) {
      written();
    }
  }

  SessionHub& m_hub;
  Recorder& m_actions;
  bool m_fast;
};

// A hub on a clock the test moves; a wake-up the hub asked for happens when the clock passes it.
struct Fixture {
  explicit Fixture(HubOptions options = {}, bool fast_readers = true)
      : real(std::move(options), actions, [this] { return now; }),
        hub(real, actions, fast_readers) {}

  void advance(Clock::duration by) {
    now += by;
    if (actions.wake && *actions.wake <= now) {
      actions.wake.reset();
      hub.wake();
    }
  }
  // One line from a listener, as it sends it.
  void listener_says(ConnectionId listener, std::string_view line) {
    hub.listener_bytes(listener, std::string(line) + "\n");
  }

  Clock::time_point now{};
  Recorder actions;
  SessionHub real;
  DrivenHub hub;
};

// --- Sessions and their lists ---------------------------------------------------------------

TEST_CASE("a listener connected before the source gets the whole list", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK(f.hub.sessions_started() == 1);
}

TEST_CASE("a listener connecting during the session gets the list from the first number", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.sent[k_listener] == "2\n");
  f.hub.source_bytes(k_source, "3|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(f.actions.sent[k_listener] == "2\n3\n");
}

TEST_CASE("a listener connecting after EVENT END of an undelivered session gets the list",
          "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.summaries.empty());
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].listeners == 0);
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  // The summary waits for the listener's verdict.
  CHECK(f.actions.summaries.empty());
  f.listener_says(k_listener, "MATCH BEGIN");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == Verdict::ok);
  CHECK(f.actions.summaries[0].delivered);
}

TEST_CASE("a listener connecting after the session was delivered waits for the next one",
          "[hub][policy]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.listener_says(k_listener, "MATCH END - OK");
  const ConnectionId late = 3;
  f.hub.listener_connected(late);
  CHECK(f.actions.sent[late].empty());
  CHECK(f.actions.saw(HubEvent::Kind::listener_waits, late).size() == 1);

  f.hub.source_connected(4);
  f.hub.source_bytes(4, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(f.actions.sent[late] == "2\n");
  CHECK(f.hub.sessions_started() == 2);
}

TEST_CASE("a session without matches waits for its late listener like any other", "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|2|1\nEVENT END\n");
  CHECK(f.actions.summaries.empty());
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.saw(HubEvent::Kind::listener_waits, k_listener).empty());
  CHECK(f.actions.sent[k_listener].empty());
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].stats.matches == 0);
  CHECK(f.actions.summaries[0].delivered);
  CHECK(f.actions.summaries[0].verdict() == Verdict::ok);
}

TEST_CASE("several listeners each get the full list, as the same shared chunks", "[hub]") {
  Fixture f;
  f.hub.listener_connected(10);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example.substr(0, 60));
  f.hub.listener_connected(11);
  f.hub.source_bytes(k_source, k_example.substr(60, 60));
  f.hub.listener_connected(12);
  f.hub.source_bytes(k_source, k_example.substr(120));
  CHECK(f.actions.sent[10] == "4\n7\n");
  CHECK(f.actions.sent[11] == "4\n7\n");
  CHECK(f.actions.sent[12] == "4\n7\n");
  CHECK(f.actions.chunks[10] == f.actions.chunks[11]);
  CHECK(f.actions.chunks[10] == f.actions.chunks[12]);
}

TEST_CASE("a hundred stalled listeners share one copy of the list", "[hub][memory]") {
  Fixture f;
  for (ConnectionId listener = 100; listener < 200; ++listener) {
    f.hub.listener_connected(listener);
  }
  f.hub.source_connected(k_source);
  GeneratorOptions generator;
  generator.events = 20'000;
  generator.users = 200;
  const std::string text = stream_text(generate_events(generator), k_lines_only);
  for (std::size_t at = 0; at < text.size(); at += 64 << 10) {
    f.hub.source_bytes(k_source, std::string_view(text).substr(at, 64 << 10));
  }
  f.hub.source_closed(k_source);
  // Every listener holds pointers to the same chunks, never a copy.
  const auto& first = f.actions.chunks[100];
  REQUIRE_FALSE(first.empty());
  for (ConnectionId listener = 101; listener < 200; ++listener) {
    REQUIRE(f.actions.chunks[listener] == first);
  }
  // The hub's own reference, the recorder's 100: nothing else holds them.
  CHECK(first.front().use_count() == 101);
}

TEST_CASE("matches are sent as soon as decided, before EVENT END", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n2|LIKE_LIKED|2|1\n");
  CHECK(f.actions.sent[k_listener].empty());
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n");
  CHECK(f.actions.sent[k_listener] == "2\n");
}

TEST_CASE("the matches decided by one read go out in one send", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\n");
  CHECK(f.actions.sent[k_listener] == "2\n3\n");
  CHECK(f.actions.sends[k_listener] == 1);
}

TEST_CASE("each session starts with fresh engine state", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\nEVENT END\n");
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(3);
  // In a shared state, 1 would be late and 2 would answer session 1's like.
  f.hub.source_bytes(3, "1|LIKE_NOT_LIKED|5|6\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(f.hub.sessions_started() == 2);
  REQUIRE(f.actions.ended.size() == 2);
  CHECK(f.actions.ended[1].stats.events == 2);
  CHECK(f.actions.ended[1].stats.late == 0);
  CHECK(f.actions.ended[1].stats.matches == 0);
}

TEST_CASE("the latest rule is applied when asked for", "[hub]") {
  // 1 likes 2, 1 withdraws it, 2 likes 1: a match under ever, none under latest.
  const std::string_view events = "1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|1|2\n3|LIKE_LIKED|2|1\n";
  for (const Rule rule : {Rule::ever, Rule::latest}) {
    HubOptions options;
    options.engine.rules.rule = rule;
    Fixture f(options);
    f.hub.listener_connected(k_listener);
    f.hub.source_connected(k_source);
    f.hub.source_bytes(k_source, events);
    CHECK(f.actions.sent[k_listener] == (rule == Rule::ever ? "3\n" : ""));
  }
}

// --- Sources ---------------------------------------------------------------------------------

TEST_CASE("a source that closes before any valid line touches no listener", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  f.hub.source_closed(k_source);
  CHECK(f.hub.sessions_started() == 0);
  CHECK(f.actions.sends.empty());
  CHECK(f.actions.summaries.empty());
  CHECK(f.actions.dropped == std::vector<ConnectionId>{k_source});
  // Its lines were read as any stream's: warnings with their line numbers, no session.
  REQUIRE(f.actions.warnings.size() == 2);
  CHECK(f.actions.warnings[0].session == 0);
  CHECK(f.actions.warnings[0].warning.line == 1);

  // The waiting listener still gets the next real session.
  f.hub.source_connected(3);
  f.hub.source_bytes(3, k_example);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("EVENT END before any session is a misplaced line and starts nothing", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT END\n");
  CHECK(f.hub.sessions_started() == 0);
  REQUIRE(f.actions.warnings.size() == 1);
  CHECK(f.actions.warnings[0].warning.kind == WarningKind::misplaced_control);
  // The events after it begin the session, as replay reads them.
  f.hub.source_bytes(k_source, "2|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(f.hub.sessions_started() == 1);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.matches == 1);
  CHECK(f.actions.ended[0].stats.misplaced_control == 1);
}

TEST_CASE("a second source sending a valid line during a session is refused", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n2|LIKE_LIKED|2|1\n");
  const ConnectionId stray = 5;
  f.hub.source_connected(stray);
  f.hub.source_bytes(stray, "EVENT BEGIN\n1|LIKE_LIKED|9|9\n");
  CHECK(f.actions.was_closed(stray));
  const std::vector<HubEvent> refused = f.actions.saw(HubEvent::Kind::source_refused, stray);
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].session == 1);
  CHECK(refused[0].running_source == k_source);
  f.hub.source_closed(stray);
  // The running session is untouched.
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(f.actions.sent[k_listener] == "2\n");
  CHECK(f.hub.sessions_started() == 1);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.events == 2);
}

TEST_CASE("a silent source connected first does not block the real one", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(7);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK_FALSE(f.actions.was_closed(7));
}

TEST_CASE("a source closing without EVENT END ends the session with what it sent", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  // 3 is missing: 4 is decided only when the input ends.
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|7|8\n4|LIKE_LIKED|2|1");
  CHECK(f.actions.sent[k_listener].empty());
  f.hub.source_closed(k_source);
  CHECK(f.actions.sent[k_listener] == "4\n");
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::source_closed);
  CHECK(f.actions.ended[0].stats.gaps == 1);
  REQUIRE_FALSE(f.actions.warnings.empty());
  CHECK(f.actions.warnings.back().warning.message == "1 sequence number never arrived: 3");
}

TEST_CASE("a last EVENT END without its newline, then a close, ends at EVENT END",
          "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END");
  CHECK(f.actions.ended.empty());
  f.hub.source_closed(k_source);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::event_end);
}

TEST_CASE("a source's only line, without its newline, still begins a session at its close",
          "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2");
  f.hub.source_closed(k_source);
  CHECK(f.hub.sessions_started() == 1);
  CHECK(f.actions.dropped.empty());
}

TEST_CASE("an idle source ends its session as timed out", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  f.hub.source_closed(k_source, SourceClose::idle_timeout);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::idle_timeout);
}

TEST_CASE("one-byte chunks and CRLF give the same list", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  const std::string crlf = test::with_crlf(k_example);
  for (char c : crlf) {
    f.hub.source_bytes(k_source, std::string_view(&c, 1));
  }
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.malformed == 0);
  CHECK(f.actions.ended[0].end == SessionEnd::event_end);
}

TEST_CASE("a byte order mark before the first line is skipped", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "\xEF\xBB\xBF" + std::string(k_example));
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("lines before the first valid one are warned about with their line numbers", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "hello\n1|LIKE_LIKED|1|2\nbad line\n");
  CHECK(f.hub.sessions_started() == 1);
  REQUIRE(f.actions.warnings.size() == 2);
  CHECK(f.actions.warnings[0].session == 0);
  CHECK(f.actions.warnings[0].warning.line == 1);
  CHECK(f.actions.warnings[1].session == 1);
  CHECK(f.actions.warnings[1].warning.line == 3);
  f.hub.source_closed(k_source);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.malformed == 2);
}

TEST_CASE("warnings past the limit are counted, not logged", "[hub]") {
  HubOptions options;
  options.max_warnings = 2;
  Fixture f(options);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\nx\ny\nz\nw\nEVENT END\n");
  f.hub.source_closed(k_source);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.malformed == 4);
  CHECK(f.actions.ended[0].unshown_warnings == 2);
  CHECK(f.actions.warnings.size() == 2);
}

TEST_CASE("input from the source after the end of its input is ignored and reported once",
          "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.source_bytes(k_source, "8|LIKE_LIKED|100|200\n");
  f.hub.source_bytes(k_source, "9|LIKE_LIKED|100|200\n");
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK(f.actions.saw(HubEvent::Kind::input_after_end, k_source).size() == 1);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].stats.events == 7);
}

TEST_CASE("a session cut at the buffer limit ends with what arrived", "[hub]") {
  HubOptions options;
  options.engine.max_buffered = 2;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  // 1 never comes; the third waiting event cuts the session and the rest is decided.
  f.hub.source_bytes(k_source,
                     "2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|1|2\n5|LIKE_LIKED|1|2\n");
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::buffer_limit);
  CHECK(f.actions.sent[k_listener] == "3\n4\n");
  CHECK(std::any_of(f.actions.warnings.begin(), f.actions.warnings.end(), [](const auto& call) {
    return call.warning.message == "line after the session was cut";
  }));
}

// --- Listeners and verdicts -------------------------------------------------------------------

TEST_CASE("the listener's verdict is reported with its session and closes the listener", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN\r");
  CHECK(f.actions.saw(HubEvent::Kind::listener_greeted, k_listener).size() == 1);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.listener_says(k_listener, "MATCH END - ERROR");
  REQUIRE(f.actions.left.size() == 1);
  const ListenerReport& report = f.actions.left[0].report;
  CHECK(report.listener == k_listener);
  CHECK(report.session == 1);
  CHECK(report.verdict == Verdict::error);
  CHECK(report.numbers_written == 2);
  CHECK(report.numbers_queued == 0);
  CHECK(report.whole_list);
  CHECK(report.spoke);
  CHECK(f.actions.left[0].analysis);
  CHECK(f.actions.was_closed(k_listener));
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == Verdict::error);
}

TEST_CASE("an unexpected line from a listener is logged and ignored", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "hello");
  const std::vector<HubEvent> ignored =
      f.actions.saw(HubEvent::Kind::listener_line_ignored, k_listener);
  REQUIRE(ignored.size() == 1);
  CHECK(ignored[0].line == "hello");
  CHECK_FALSE(f.actions.was_closed(k_listener));
}

TEST_CASE("a listener line split across reads is read whole", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.listener_bytes(k_listener, "MATCH END");
  CHECK(f.actions.left.empty());
  f.hub.listener_bytes(k_listener, " - OK\r\n");
  REQUIRE(f.actions.left.size() == 1);
  CHECK(f.actions.left[0].report.verdict == Verdict::ok);
}

TEST_CASE("a listener line past the limit closes that listener, saying why", "[hub][policy]") {
  HubOptions options;
  options.max_listener_line = 16;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.listener_bytes(k_listener, std::string(40, 'x'));
  CHECK(f.actions.was_closed(k_listener));
  // Said once, by whoever words listener_left: the hub's only event is the wait for a session.
  REQUIRE(f.actions.events.size() == 1);
  CHECK(f.actions.events[0].kind == HubEvent::Kind::listener_waits);
  REQUIRE(f.actions.left.size() == 1);
  CHECK(f.actions.left[0].report.end == ListenerEnd::line_too_long);
}

TEST_CASE("a listener leaving midway costs the session nothing", "[hub]") {
  Fixture f;
  f.hub.listener_connected(10);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.listener_closed(10);
  f.hub.source_bytes(k_source, "3|LIKE_LIKED|1|2\n");
  f.hub.listener_connected(11);
  f.hub.source_bytes(k_source, "EVENT END\n");
  CHECK(f.actions.sent[10] == "2\n");
  CHECK(f.actions.sent[11] == "2\n3\n");
  REQUIRE(f.actions.left_report(10) != nullptr);
  CHECK(f.actions.left_report(10)->end == ListenerEnd::peer_closed);
  CHECK(f.actions.left_report(10)->numbers_written == 1);
  CHECK_FALSE(f.actions.left_report(10)->whole_list);
}

TEST_CASE("a session whose only listener left before the end waits for another", "[hub]") {
  Fixture f;
  f.hub.listener_connected(10);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.listener_closed(10);
  f.hub.source_bytes(k_source, "EVENT END\n");
  CHECK(f.actions.summaries.empty());
  f.hub.listener_connected(11);
  CHECK(f.actions.sent[11] == "2\n");
}

TEST_CASE("the summary waits for a listener that may still judge", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.summaries.empty());
  f.hub.listener_closed(k_listener);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == std::nullopt);
  CHECK(f.actions.summaries[0].delivered);
}

TEST_CASE("a listener with the whole list that never answers is closed after the bound",
          "[hub][policy]") {
  HubOptions options;
  options.verdict_timeout = 5s;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.advance(4s);
  CHECK_FALSE(f.actions.was_closed(k_listener));
  CHECK(f.actions.summaries.empty());
  f.advance(2s);
  CHECK(f.actions.was_closed(k_listener));
  REQUIRE(f.actions.left.size() == 1);
  CHECK(f.actions.left[0].report.end == ListenerEnd::verdict_timeout);
  CHECK(f.actions.left[0].report.whole_list);
  CHECK(f.actions.left[0].report.numbers_written == 2);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == std::nullopt);
}

TEST_CASE("a slow listener's verdict bound runs from when its whole list was written",
          "[hub][policy]") {
  HubOptions options;
  options.verdict_timeout = 30s;
  Fixture f(options, /*fast_readers=*/false);
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.source_bytes(k_source, "3|LIKE_LIKED|1|2\nEVENT END\n");
  // The listener does not read: its list stays queued, however long.
  f.advance(35s);
  f.advance(35s);
  CHECK_FALSE(f.actions.was_closed(k_listener));
  f.hub.written(k_listener);
  f.advance(29s);
  CHECK_FALSE(f.actions.was_closed(k_listener));
  f.advance(2s);
  CHECK(f.actions.was_closed(k_listener));
  const ListenerReport* report = f.actions.left_report(k_listener);
  REQUIRE(report != nullptr);
  CHECK(report->end == ListenerEnd::verdict_timeout);
  CHECK(report->whole_list);
  CHECK(report->numbers_written == 2);
  CHECK(report->numbers_queued == 0);
}

TEST_CASE("a listener that leaves with numbers queued is reported with what was written", "[hub]") {
  Fixture f({}, /*fast_readers=*/false);
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.written(k_listener);
  f.hub.source_bytes(k_source, "3|LIKE_LIKED|1|2\n4|LIKE_LIKED|2|1\nEVENT END\n");
  f.hub.listener_closed(k_listener, /*failed=*/true);
  const ListenerReport* report = f.actions.left_report(k_listener);
  REQUIRE(report != nullptr);
  CHECK(report->numbers_written == 1);
  CHECK(report->numbers_queued == 2);
  CHECK_FALSE(report->whole_list);
  // Its list was not delivered: the next listener gets it.
  CHECK(f.actions.summaries.empty());
  f.hub.listener_connected(3);
  CHECK(f.actions.sent[3] == "2\n3\n4\n");
}

TEST_CASE("a listener's unexpected lines are logged up to the cap, the rest counted", "[hub]") {
  HubOptions options;
  options.max_warnings = 20;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  std::string junk;
  for (int i = 0; i < 1000; ++i) {
    junk += "junk\n";
  }
  f.hub.listener_bytes(k_listener, junk);
  CHECK(f.actions.saw(HubEvent::Kind::listener_line_ignored, k_listener).size() == 20);
  f.hub.listener_closed(k_listener);
  const ListenerReport* report = f.actions.left_report(k_listener);
  REQUIRE(report != nullptr);
  CHECK(report->unshown_lines == 980);
}

TEST_CASE("a verdict from a listener that received nothing is reported and closes it", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH END - OK");
  CHECK(f.actions.was_closed(k_listener));
  REQUIRE(f.actions.left.size() == 1);
  CHECK(f.actions.left[0].report.session == 0);
  CHECK(f.actions.left[0].report.verdict == Verdict::ok);
}

TEST_CASE("a verdict that comes before EVENT END counts for the session", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.listener_says(k_listener, "MATCH END - OK");
  CHECK(f.actions.summaries.empty());
  f.hub.source_bytes(k_source, "3|LIKE_NOT_LIKED|1|2\nEVENT END\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == Verdict::ok);
  CHECK(f.actions.summaries[0].stats.events == 3);
  f.hub.listener_connected(3);
  CHECK(f.actions.sent[3].empty());
}

TEST_CASE("each listener's verdict counts for its own session only", "[hub][policy]") {
  // Two harnesses at once: the second one's source is refused, its listener is attached to
  // the running session and says ERROR; the first one's says OK. The summary says both.
  Fixture f;
  f.hub.listener_connected(10);
  f.hub.source_connected(11);
  f.hub.source_bytes(11, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.source_connected(20);
  f.hub.source_bytes(20, "EVENT BEGIN\n1|LIKE_LIKED|5|6\n");
  CHECK(f.actions.was_closed(20));
  f.hub.listener_connected(21);
  f.hub.source_bytes(11, "EVENT END\n");
  f.listener_says(21, "MATCH END - ERROR");
  f.listener_says(10, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  const SessionReport& report = f.actions.summaries[0];
  CHECK(report.listeners == 2);
  CHECK(report.verdicts_ok == 1);
  CHECK(report.verdicts_error == 1);
  // The ERROR is analysed against what that listener was sent, in its session.
  REQUIRE(f.actions.left.size() == 2);
  CHECK(f.actions.left[0].report.session == 1);
  REQUIRE(f.actions.left[0].analysis);
  CHECK(f.actions.left[0].analysis->sent == 1);
}

// --- The session policy across runs (docs/protocol.md, "Sessions") ----------------------------

// A harness run whose listener never came: the source sends everything, stays open a while,
// then the harness gives up and closes it.
void abandoned_run(Fixture& f, ConnectionId source, Clock::duration open_for) {
  f.hub.source_connected(source);
  f.hub.source_bytes(source, k_example);
  f.advance(open_for);
  f.hub.source_closed(source);
}

// A good run in the given order; returns what its listener received.
std::string good_run(Fixture& f, ConnectionId source, ConnectionId listener,
                     std::string_view order) {
  const std::string_view events = "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n";
  if (order == "listener first") {
    f.hub.listener_connected(listener);
    f.advance(10ms);
    f.hub.source_connected(source);
    f.hub.source_bytes(source, events);
  } else if (order == "together") {
    f.hub.source_connected(source);
    f.hub.listener_connected(listener);
    f.hub.source_bytes(source, events);
  } else {
    f.hub.source_connected(source);
    f.hub.source_bytes(source, events);
    f.advance(10ms);
    f.hub.listener_connected(listener);
  }
  const std::string received = f.actions.sent[listener];
  f.listener_says(listener, received == "2\n" ? "MATCH END - OK" : "MATCH END - ERROR");
  f.hub.source_closed(source);
  return received;
}

TEST_CASE("an undelivered session does not capture the next run's listener", "[hub][policy]") {
  for (const std::string_view order : {"listener first", "together", "after EVENT END"}) {
    INFO(order);
    Fixture f;
    // As first seen: a run whose listener never connected, given up after 1 s.
    abandoned_run(f, 1, 1s);
    CHECK(good_run(f, 3, 4, order) == "2\n");
    REQUIRE(f.actions.summaries.size() == 2);
    CHECK(f.actions.summaries[0].session == 1);
    CHECK_FALSE(f.actions.summaries[0].delivered);
    CHECK(f.actions.summaries[0].listeners == 0);
    CHECK(f.actions.summaries[1].verdict() == Verdict::ok);
  }
}

TEST_CASE("several failed runs in a row, then a good one, in every order", "[hub][policy]") {
  for (const std::string_view order : {"listener first", "together", "after EVENT END"}) {
    INFO(order);
    Fixture f;
    ConnectionId id = 1;
    // Abandoned, then ERROR, then cut short by its listener, then a listener that never
    // answers; a harness takes more than the late listener grace to start again.
    abandoned_run(f, id++, 1s);
    f.advance(1s);
    f.hub.listener_connected(id);
    f.hub.source_connected(id + 1);
    f.hub.source_bytes(id + 1, k_example);
    f.listener_says(id, "MATCH END - ERROR");
    f.hub.source_closed(id + 1);
    id += 2;
    f.advance(1s);
    f.hub.listener_connected(id);
    f.hub.source_connected(id + 1);
    f.hub.source_bytes(id + 1, "EVENT BEGIN\n5|LIKE_LIKED|1|2\n");
    f.hub.listener_closed(id);
    f.hub.source_closed(id + 1);
    id += 2;
    f.advance(1s);
    f.hub.listener_connected(id);
    f.hub.source_connected(id + 1);
    f.hub.source_bytes(id + 1, k_example);
    f.hub.source_closed(id + 1);
    const ConnectionId silent = id;
    id += 2;
    CHECK(good_run(f, id, id + 1, order) == "2\n");
    CHECK(f.actions.sent[silent] == "4\n7\n");  // its own list, not the next run's
    f.advance(31s);                             // the silent listener's verdict bound
    CHECK(f.actions.was_closed(silent));
    CHECK(f.actions.summaries.size() == 5);
  }
}

TEST_CASE("a listener coming long after its run's source closed gets its list", "[hub][policy]") {
  // A sequential harness: send everything, close, compute the expected list, then listen.
  for (const Clock::duration late :
       {Clock::duration(1s), Clock::duration(20s), Clock::duration(1h)}) {
    Fixture f;
    abandoned_run(f, k_source, 0s);
    f.advance(late);
    f.hub.listener_connected(k_listener);
    f.listener_says(k_listener, "MATCH BEGIN");
    // It may as well be the first of a new run: the wait for a new session's first line.
    CHECK(f.actions.sent[k_listener].empty());
    CHECK(f.actions.summaries.empty());
    f.advance(500ms);
    CHECK(f.actions.sent[k_listener] == "4\n7\n");
    f.listener_says(k_listener, "MATCH END - OK");
    REQUIRE(f.actions.summaries.size() == 1);
    CHECK(f.actions.summaries[0].verdict() == Verdict::ok);
  }
}

TEST_CASE("a listener coming within the grace of its session's end is attached at once",
          "[hub][policy]") {
  Fixture f;
  abandoned_run(f, k_source, 100ms);
  f.advance(300ms);  // 400 ms after EVENT END
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("a run whose source closed without EVENT END still has its list taken late",
          "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n2|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\n");
  f.hub.source_closed(k_source);
  CHECK(f.actions.summaries.empty());
  f.advance(5s);
  f.hub.listener_connected(k_listener);
  f.advance(500ms);
  CHECK(f.actions.sent[k_listener] == "2\n");
}

TEST_CASE("a late listener is taken at any time while its run's source is open", "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.advance(1h);
  f.hub.listener_connected(k_listener);
  f.advance(500ms);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("a port probe between EVENT END and the listener changes nothing", "[hub][policy]") {
  Fixture f;
  abandoned_run(f, k_source, 0s);
  f.advance(1s);
  // A health check on the source port: connect, close, not a byte.
  f.hub.source_connected(5);
  f.hub.source_closed(5);
  // And one on the listener port, while the list waits.
  f.hub.listener_connected(6);
  f.advance(500ms);
  f.hub.listener_closed(6);
  f.advance(1s);
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.advance(500ms);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK(f.hub.sessions_started() == 1);
  CHECK(f.actions.summaries.empty());
}

TEST_CASE("a listener-first run after a run whose listener never came gets its own list",
          "[hub][policy]") {
  const bool old_source_open = GENERATE(true, false);
  INFO((old_source_open ? "the old source still open" : "the old source closed"));
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  if (!old_source_open) {
    f.hub.source_closed(k_source);
  }
  f.advance(10s);
  // The next harness: its listener first, its source a moment later.
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH BEGIN");
  f.advance(20ms);
  f.hub.source_connected(3);
  f.hub.source_bytes(3, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(f.actions.sent[k_listener] == "2\n");
  f.advance(1s);
  CHECK(f.actions.sent[k_listener] == "2\n");
  // The old session is summarised as never delivered, and why.
  REQUIRE_FALSE(f.actions.summaries.empty());
  CHECK(f.actions.summaries[0].session == 1);
  CHECK_FALSE(f.actions.summaries[0].delivered);
  CHECK(f.actions.summaries[0].superseded_by == 2);
}

TEST_CASE(
    "a listener whose new run's source speaks only after the wait gets the old list: "
    "the case that cannot be known",
    "[hub][policy]") {
  HubOptions options;
  options.new_source_wait = 500ms;
  Fixture f(options);
  abandoned_run(f, k_source, 0s);
  f.advance(10s);
  f.hub.listener_connected(k_listener);
  f.advance(600ms);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("without a new source to wait for, a late listener is attached at once",
          "[hub][policy]") {
  HubOptions options;
  options.new_source_wait = 0ms;  // serve --connect
  Fixture f(options);
  abandoned_run(f, k_source, 0s);
  f.advance(20s);
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("a new source's connection alone keeps the old list deliverable", "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.source_connected(3);  // not a valid line yet
  CHECK(f.actions.summaries.empty());
  f.advance(2s);
  f.hub.listener_connected(k_listener);
  f.advance(500ms);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE(
    "a new session's first line ends the old list's wait, and a waiting listener takes the "
    "new one",
    "[hub][policy]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.advance(2s);
  f.hub.source_connected(3);
  f.hub.listener_connected(k_listener);
  f.hub.source_bytes(3, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  CHECK(f.actions.sent[k_listener] == "2\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].superseded_by == 2);
}

TEST_CASE("a listener kept open across sessions never gets the next session's list",
          "[hub][policy]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  f.hub.source_closed(k_source);
  f.hub.source_connected(3);
  f.hub.source_bytes(3, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(f.hub.sessions_started() == 2);
  CHECK(f.actions.sent[k_listener] == "2\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.left.size() == 1);
  CHECK(f.actions.left[0].report.session == 1);
}

// --- Summaries --------------------------------------------------------------------------------

TEST_CASE("an undelivered session is summarised when the next one begins", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.source_connected(3);
  f.hub.source_bytes(3, "EVENT BEGIN\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK_FALSE(f.actions.summaries[0].delivered);
  CHECK(f.actions.summaries[0].superseded_by == 2);
  CHECK_FALSE(f.actions.summaries[0].first_event_to_last_match);
  CHECK_FALSE(f.actions.summaries[0].input_end_to_last_match);
}

TEST_CASE("shutdown decides a running session and logs it as cut", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n2|LIKE_LIKED|1|2\n");
  f.hub.shutdown();
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].end == SessionEnd::shutdown);
  CHECK(f.actions.summaries[0].stats.events == 1);
  // As replay of its recording says: 1 never arrived.
  CHECK(f.actions.summaries[0].stats.gaps == 1);
}

TEST_CASE("the summary gives the time from the first event to the last match written", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  f.advance(250ms);
  f.hub.source_bytes(k_source, "2|LIKE_LIKED|2|1\n");
  f.advance(1s);
  f.hub.source_bytes(k_source, "EVENT END\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].first_event_to_last_match == 250ms);
  CHECK(f.actions.summaries[0].stats.max_buffered == 0);
  CHECK(f.actions.summaries[0].rules_agree == true);
}

TEST_CASE("the tail runs from the piece that completed the prefix to the last match sent",
          "[hub][tail]") {
  Fixture f;
  f.actions.on_send = [&f] { f.now += 3ms; };
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source,
                     "EVENT BEGIN\n4|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.advance(1s);
  // Number 1 completes the prefix: 1 to 4 are decided, matches 3 and 4 go in one send.
  f.hub.source_bytes(k_source, "1|LIKE_UNSPECIFIED|5|6\n");
  CHECK(f.actions.sent[k_listener] == "3\n4\n");
  CHECK(f.actions.sends[k_listener] == 1);
  f.advance(1s);
  f.hub.source_bytes(k_source, "EVENT END\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].input_end_to_last_match == 3ms);
  CHECK(f.actions.summaries[0].first_event_to_last_match == 1s + 3ms);
}

TEST_CASE("with numbers missing, the tail runs from the end of the input", "[hub][tail]") {
  const bool event_end = GENERATE(true, false);
  INFO((event_end ? "EVENT END" : "source closed"));
  Fixture f;
  f.actions.on_send = [&f] { f.now += 3ms; };
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n3|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.advance(1s);
  if (event_end) {
    f.hub.source_bytes(k_source, "EVENT END\n");
  } else {
    f.hub.source_closed(k_source);
  }
  CHECK(f.actions.sent[k_listener] == "3\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].stats.gaps == 1);
  CHECK(f.actions.summaries[0].input_end_to_last_match == 3ms);
}

TEST_CASE("the tail is 0 when the last input decided no match", "[hub][tail]") {
  Fixture f;
  f.actions.on_send = [&f] { f.now += 3ms; };
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  REQUIRE(f.actions.summaries.empty());
  f.advance(1s);
  f.hub.source_bytes(k_source, "3|LIKE_NOT_LIKED|5|6\nEVENT END\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].input_end_to_last_match == 0ms);
}

TEST_CASE("with a listener that connects after the end, the tail includes the wait for it",
          "[hub][tail]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.advance(250ms);
  f.hub.listener_connected(k_listener);
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].input_end_to_last_match == 250ms);
}

TEST_CASE("a session without matches has no tail", "[hub][tail]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\nEVENT END\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK_FALSE(f.actions.summaries[0].input_end_to_last_match);
}

TEST_CASE("the summary says whether the rule variants agree, and where they diverge", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].rules_agree == true);
  CHECK_FALSE(f.actions.summaries[0].first_divergence);

  // 2->1 withdraws at 3, so 1->2's like at 4 is a match under ever only.
  f.hub.listener_connected(4);
  f.hub.source_connected(3);
  f.hub.source_bytes(3,
                     "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|2|1\n"
                     "4|LIKE_LIKED|1|2\nEVENT END\n");
  f.listener_says(4, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 2);
  CHECK(f.actions.summaries[1].rules_agree == false);
  REQUIRE(f.actions.summaries[1].first_divergence);
  CHECK(f.actions.summaries[1].first_divergence->match.seq == 4);
  CHECK(f.actions.summaries[1].first_divergence->variants ==
        under_every_self_like_rule(variant_bit({Rule::ever, false})));
}

// --- The ERROR analysis -------------------------------------------------------------------

// Plays a harness listener that expects one rule variant's list: MATCH END - ERROR at the
// first number that differs from it, or at the end of the input if some are missing.
class ExpectingListener {
 public:
  explicit ExpectingListener(std::vector<std::uint64_t> expected)
      : m_expected(std::move(expected)) {}

  // Judges what has been sent so far; nullopt: nothing to say yet.
  std::optional<Verdict> judge(const std::string& sent, bool input_ended) {
    for (std::size_t newline = sent.find('\n', m_read); newline != std::string::npos;
         newline = sent.find('\n', m_read)) {
      const std::uint64_t number = std::stoull(sent.substr(m_read, newline - m_read));
      m_read = newline + 1;
      if (m_received == m_expected.size() || m_expected[m_received] != number) {
        return Verdict::error;
      }
      ++m_received;
    }
    if (input_ended) {
      return m_received == m_expected.size() ? Verdict::ok : Verdict::error;
    }
    return std::nullopt;
  }

 private:
  std::vector<std::uint64_t> m_expected;
  std::size_t m_read = 0;
  std::size_t m_received = 0;
};

// Every variant's list differs from the others' (with self-likes, all twelve).
std::vector<Event> diverging_session(bool self_likes = false) {
  return generate_events(test::diverging_options(self_likes));
}

TEST_CASE("an ERROR from a listener expecting another rule is analysed with that rule",
          "[hub][error_analysis]") {
  const std::vector<Event> events = diverging_session(true);
  std::map<std::size_t, std::vector<std::uint64_t>> lists;
  for (const MatchRules& rules : k_rule_variants) {
    lists[variant_index(rules)] = expected_list(events, rules);
  }
  for (const MatchRules& server : k_rule_variants) {
    for (const MatchRules& harness : k_rule_variants) {
      const bool differ = lists[variant_index(server)] != lists[variant_index(harness)];
      INFO("server " << variant_index(server) << ", harness " << variant_index(harness));
      CHECK(differ == (server != harness));

      HubOptions options;
      options.engine.rules = server;
      Fixture f(options);
      ExpectingListener expecting(lists[variant_index(harness)]);
      f.hub.listener_connected(k_listener);
      f.hub.source_connected(k_source);
      f.hub.source_bytes(k_source, "EVENT BEGIN\n");
      std::optional<Verdict> verdict;
      for (std::size_t i = 0; i <= events.size() && !verdict; ++i) {
        std::string line;
        if (i < events.size()) {
          append_line(line, events[i]);
        } else {
          line = "EVENT END\n";
        }
        f.hub.source_bytes(k_source, line);
        verdict = expecting.judge(f.actions.sent[k_listener], i == events.size());
      }
      REQUIRE(verdict);
      f.listener_says(k_listener, to_string(*verdict));
      f.hub.source_closed(k_source);
      f.advance(1s);
      REQUIRE(f.actions.summaries.size() == 1);
      CHECK(f.actions.summaries[0].rules_agree == false);
      REQUIRE(f.actions.left.size() == 1);
      if (!differ) {
        CHECK(*verdict == Verdict::ok);
        CHECK_FALSE(f.actions.left[0].analysis);
        continue;
      }
      CHECK(*verdict == Verdict::error);
      REQUIRE(f.actions.left[0].analysis);
      const ErrorAnalysis& analysis = *f.actions.left[0].analysis;
      const std::vector<MatchRules>& tried = analysis.suspects;
      CHECK(std::find(tried.begin(), tried.end(), harness) != tried.end());
      CHECK(std::find(tried.begin(), tried.end(), server) == tried.end());
      // The listener answered as soon as it saw the fault: its rule comes first, unless
      // another diverges within the same write.
      CHECK((tried.front() == harness || !analysis.tied.empty()));
    }
  }
}

TEST_CASE("an ERROR before the rule variants diverge is analysed as not the rule",
          "[hub][error_analysis]") {
  const std::vector<Event> events = diverging_session();
  const std::string stream = "EVENT BEGIN\n" + stream_text(events, k_lines_only);
  for (const MatchRules& server : k_rule_variants) {
    INFO("server " << variant_index(server));
    HubOptions options;
    options.engine.rules = server;
    Fixture f(options);
    f.hub.source_connected(k_source);
    std::size_t fed = 0;
    // Until the first number is out: a listener connected then gets just that one.
    f.hub.listener_connected(99);  // a witness: what any listener was sent so far
    while (f.actions.sent[99].empty()) {
      const std::size_t end = stream.find('\n', fed) + 1;
      f.hub.source_bytes(k_source, std::string_view(stream).substr(fed, end - fed));
      fed = end;
    }
    f.hub.listener_connected(k_listener);
    REQUIRE(std::count(f.actions.sent[k_listener].begin(), f.actions.sent[k_listener].end(),
                       '\n') == 1);
    f.listener_says(k_listener, "MATCH END - ERROR");
    REQUIRE(f.actions.left.size() == 1);
    REQUIRE(f.actions.left[0].analysis);
    CHECK(f.actions.left[0].analysis->sent == 1);
    CHECK(f.actions.left[0].analysis->suspects.empty());
  }
}

// --- Table reuse --------------------------------------------------------------------------

// Sessions of every kind one after another, the later ones on the earlier ones' tables.
void run_mixed_sessions(Fixture& f) {
  GeneratorOptions big;
  big.events = 20'000;
  big.users = 300;
  big.seed = 3;
  big.shuffle = Shuffle{ShuffleKind::window, 100};
  const std::vector<Event> windowed = generate_events(big);
  const std::string shuffled = stream_text(windowed, k_lines_only);
  // Far-ahead sequence numbers and ids of more than 32 bits.
  const auto far_and_wide = [](Event event) {
    event.from += event.seq % 3 == 0 ? std::uint64_t{1} << 32 : 0;
    event.seq *= 1'000'003;
    return event;
  };
  const std::string wide = stream_text(
      windowed | ranges::views::transform(far_and_wide) | ranges::to<std::vector>(), k_lines_only);
  // More than the buffer limit (5000) waits at once: the session is cut.
  big.shuffle = Shuffle{ShuffleKind::full, 0};
  const std::string cut = stream_text(generate_events(big), k_lines_only);
  const std::string example = "\xEF\xBB\xBF" + std::string(k_example);
  ConnectionId id = 10;
  for (const std::string* text : std::initializer_list<const std::string*>{
           &shuffled, &wide, &shuffled, &cut, &example, &shuffled}) {
    const ConnectionId listener = id++;
    const ConnectionId source = id++;
    f.hub.listener_connected(listener);
    f.hub.source_connected(source);
    for (std::size_t at = 0; at < text->size(); at += 4'000) {
      f.hub.source_bytes(source, std::string_view(*text).substr(at, 4'000));
    }
    f.hub.source_closed(source);
    f.listener_says(listener, "MATCH END - OK");
  }
}

TEST_CASE("sessions on kept tables send and report exactly what fresh ones do", "[hub]") {
  HubOptions options;
  options.engine.max_buffered = 5'000;
  options.max_spare_table_bytes = 0;
  Fixture fresh(options);
  run_mixed_sessions(fresh);
  REQUIRE(fresh.hub.spare_table_bytes() == 0);

  options.max_spare_table_bytes = HubOptions{}.max_spare_table_bytes;
  Fixture reused(options);
  run_mixed_sessions(reused);
  CHECK(reused.hub.spare_table_bytes() > 0);

  REQUIRE(reused.actions.summaries.size() == 6);
  REQUIRE(fresh.actions.summaries.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    INFO("session " << i + 1);
    const SessionReport& a = reused.actions.summaries[i];
    const SessionReport& b = fresh.actions.summaries[i];
    CHECK(a.stats == b.stats);
    CHECK(a.end == b.end);
    CHECK(a.verdict() == b.verdict());
    CHECK(a.rules_agree == b.rules_agree);
    CHECK(a.first_event_to_last_match == b.first_event_to_last_match);
    CHECK(a.input_end_to_last_match == b.input_end_to_last_match);
  }
  CHECK(reused.actions.summaries[3].end == SessionEnd::buffer_limit);
  CHECK(reused.actions.sent == fresh.actions.sent);
  CHECK(reused.actions.events == fresh.actions.events);
  REQUIRE(reused.actions.warnings.size() == fresh.actions.warnings.size());
  for (std::size_t i = 0; i < reused.actions.warnings.size(); ++i) {
    CHECK(reused.actions.warnings[i].warning == fresh.actions.warnings[i].warning);
  }
}

TEST_CASE("a finished session's tables are kept for the next only within the bound", "[hub]") {
  GeneratorOptions generator;
  generator.events = 50'000;
  const std::string text = stream_text(generate_events(generator), k_lines_only);
  for (const std::size_t bound : {std::size_t{0}, std::size_t{1} << 10, std::size_t{1} << 30}) {
    INFO("bound " << bound);
    HubOptions options;
    options.max_spare_table_bytes = bound;
    Fixture f(options);
    f.hub.source_connected(k_source);
    f.hub.source_bytes(k_source, text);
    CHECK(f.hub.spare_table_bytes() == 0);  // the running session has them
    f.hub.source_closed(k_source);
    const std::size_t kept = f.hub.spare_table_bytes();
    CHECK((bound == std::size_t{1} << 30 ? kept > (std::size_t{1} << 20) : kept == 0));
    // The next session takes them.
    f.hub.source_connected(3);
    f.hub.source_bytes(3, "1|LIKE_LIKED|1|2\n");
    CHECK(f.hub.spare_table_bytes() == 0);
  }
}

// --- With a remote decider (serve --jetstream) -----------------------------------------------

// Records what the hub hands over.
struct RemoteRecorder : RemoteDecider {
  void begin(std::uint64_t session, const MatchRules&) override { sessions.push_back(session); }
  void event(const Event& event) override { seqs.push_back(event.seq); }
  void watermark(std::uint64_t watermark, bool input_ended) override {
    watermarks.emplace_back(watermark, input_ended);
  }
  std::vector<std::uint64_t> sessions;
  std::vector<std::uint64_t> seqs;
  std::vector<std::pair<std::uint64_t, bool>> watermarks;
};

TEST_CASE("with a remote decider, every event is handed over in order, then the watermark",
          "[hub][remote]") {
  RemoteRecorder remote;
  HubOptions options;
  options.remote = &remote;
  Fixture f(options);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n2|LIKE_LIKED|100|200\n3|LIKE_LIKED|1|2\n");
  CHECK(remote.sessions == std::vector<std::uint64_t>{1});
  CHECK(remote.seqs.empty());  // 1 has not arrived
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|200|100\n");
  CHECK(remote.seqs == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(remote.watermarks.back() == std::pair<std::uint64_t, bool>{3, false});
  f.hub.source_bytes(k_source, "5|LIKE_LIKED|7|8\nEVENT END\n");
  CHECK(remote.seqs == std::vector<std::uint64_t>{1, 2, 3, 5});  // past the missing 4
  CHECK(remote.watermarks.back() == std::pair<std::uint64_t, bool>{5, true});
}

TEST_CASE(
    "with a remote decider, listeners get the remote side's numbers and the list is whole "
    "when it says so",
    "[hub][remote]") {
  RemoteRecorder remote;
  HubOptions options;
  options.remote = &remote;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.sent[k_listener].empty());  // the hub's own engine's matches are not sent
  f.hub.remote_decided(1, {4}, false);
  CHECK(f.actions.sent[k_listener] == "4\n");
  f.advance(60s);  // no verdict deadline before the list is whole
  CHECK(f.actions.left.empty());
  f.hub.remote_decided(1, {7}, true);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.left_report(k_listener) != nullptr);
  CHECK(f.actions.left_report(k_listener)->whole_list);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict() == Verdict::ok);
}

TEST_CASE(
    "with a remote decider that fails mid-input, the session ends: the failure is said, its "
    "source and listener are closed, and the next session runs",
    "[hub][remote]") {
  RemoteRecorder remote;
  HubOptions options;
  options.remote = &remote;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.remote_decided(1, {2}, false);
  f.hub.remote_failed(1);
  CHECK(f.actions.events.back() == HubEvent{.kind = HubEvent::Kind::remote_failed, .session = 1});
  CHECK(f.actions.was_closed(k_source));
  CHECK(f.actions.was_closed(k_listener));
  REQUIRE(f.actions.left_report(k_listener) != nullptr);
  CHECK(f.actions.left_report(k_listener)->end == ListenerEnd::remote_failed);
  CHECK(f.actions.left_report(k_listener)->numbers_written == 1);
  CHECK_FALSE(f.actions.left_report(k_listener)->whole_list);
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::remote_failed);
  CHECK(remote.watermarks.back() == std::pair<std::uint64_t, bool>{2, true});
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].remote_failed);
  CHECK_FALSE(f.actions.summaries[0].verdict());
  // What the closed source still sent, and a late decision, change nothing.
  f.hub.source_bytes(k_source, "3|LIKE_LIKED|3|4\n");
  f.hub.remote_decided(1, {3}, true);
  CHECK(f.actions.sent[k_listener] == "2\n");
  CHECK(f.actions.warnings.empty());

  constexpr ConnectionId next_listener = 4;
  constexpr ConnectionId next_source = 3;
  f.hub.listener_connected(next_listener);
  f.hub.source_connected(next_source);
  f.hub.source_bytes(next_source, k_example);
  CHECK(remote.sessions == std::vector<std::uint64_t>{1, 2});
  f.hub.remote_decided(2, {4, 7}, true);
  CHECK(f.actions.sent[next_listener] == "4\n7\n");
  f.listener_says(next_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 2);
  CHECK(f.actions.summaries[1].verdict() == Verdict::ok);
}

TEST_CASE(
    "with a remote decider that fails after the input's end, the listener is closed and no "
    "late listener is given the part list",
    "[hub][remote]") {
  RemoteRecorder remote;
  HubOptions options;
  options.remote = &remote;
  Fixture f(options);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.listener_connected(k_listener);  // within the grace: attached to the ended session
  f.hub.remote_decided(1, {4}, false);
  f.hub.remote_failed(1);
  CHECK(f.actions.was_closed(k_listener));
  CHECK_FALSE(f.actions.was_closed(k_source));  // its input had ended already
  REQUIRE(f.actions.ended.size() == 1);
  CHECK(f.actions.ended[0].end == SessionEnd::event_end);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].remote_failed);
  constexpr ConnectionId late = 4;
  f.hub.listener_connected(late);
  CHECK(f.actions.sent[late].empty());
  CHECK(f.actions.saw(HubEvent::Kind::listener_waits, late).size() == 1);
}

TEST_CASE("a remote failure of a session whose list is whole, or final, changes nothing",
          "[hub][remote]") {
  RemoteRecorder remote;
  HubOptions options;
  options.remote = &remote;
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.remote_decided(1, {4, 7}, true);
  f.hub.remote_failed(1);
  CHECK(f.actions.saw(HubEvent::Kind::remote_failed, 0).empty());
  CHECK_FALSE(f.actions.was_closed(k_listener));
  f.listener_says(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK_FALSE(f.actions.summaries[0].remote_failed);
  f.hub.remote_failed(1);  // final: forgotten
  f.hub.remote_failed(7);  // never was
  CHECK(f.actions.summaries.size() == 1);
}

}  // namespace
}  // namespace likematch
