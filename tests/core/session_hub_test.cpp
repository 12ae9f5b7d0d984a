#include "core/session/session_hub.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/harness/generator.hpp"
#include "core/rules/reference_matcher.hpp"
#include "core/rules/rule_comparison.hpp"

#include "tests/support/challenge_example.hpp"

namespace likematch {
namespace {

using namespace std::chrono_literals;

// Records every action the hub takes.
class Recorder : public HubActions {
 public:
  void send(ConnectionId listener, std::string_view bytes) override {
    sent[listener].append(bytes);
    ++sends[listener];
  }
  void close(ConnectionId connection) override { closed.push_back(connection); }
  void log(Severity severity, std::string text) override {
    logs.emplace_back(severity, std::move(text));
  }
  void verdict(ConnectionId listener, Verdict verdict, const SessionReport& report) override {
    verdicts.push_back({listener, verdict, report});
  }
  void summary(const SessionReport& report) override { summaries.push_back(report); }

  bool logged(std::string_view part) const {
    return std::any_of(logs.begin(), logs.end(), [&](const auto& entry) {
      return entry.second.find(part) != std::string::npos;
    });
  }
  bool was_closed(ConnectionId id) const {
    return std::find(closed.begin(), closed.end(), id) != closed.end();
  }

  struct VerdictCall {
    ConnectionId listener;
    Verdict verdict;
    SessionReport report;
  };

  std::map<ConnectionId, std::string> sent;
  std::map<ConnectionId, int> sends;
  std::vector<ConnectionId> closed;
  std::vector<std::pair<Severity, std::string>> logs;
  std::vector<VerdictCall> verdicts;
  std::vector<SessionReport> summaries;
};

constexpr std::string_view k_example = likematch::testing::k_challenge_example;

constexpr ConnectionId k_source = 1;
constexpr ConnectionId k_listener = 2;

struct Fixture {
  explicit Fixture(HubOptions options = {}) : hub(std::move(options), actions) {}
  Recorder actions;
  SessionHub hub;
};

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
          "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.summaries.empty());
  CHECK(f.actions.logged("waiting for a listener"));
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  // The summary waits for the listener's verdict.
  CHECK(f.actions.summaries.empty());
  f.hub.listener_line(k_listener, "MATCH BEGIN");
  f.hub.listener_line(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict == Verdict::ok);
  CHECK(f.actions.summaries[0].delivered);
}

TEST_CASE("a listener connecting after the session was delivered waits for the next one", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.listener_line(k_listener, "MATCH END - OK");
  const ConnectionId late = 3;
  f.hub.listener_connected(late);
  CHECK(f.actions.sent[late].empty());
  CHECK(f.actions.logged("listener 3 waits for the next session"));

  f.hub.source_connected(4);
  f.hub.source_bytes(4, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(f.actions.sent[late] == "2\n");
  CHECK(f.hub.sessions_started() == 2);
}

TEST_CASE("a session without matches counts as delivered when it ends", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\nEVENT END\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].delivered);
  CHECK(f.actions.summaries[0].stats.matches == 0);
  f.hub.listener_connected(k_listener);
  CHECK(f.actions.logged("listener 2 waits for the next session"));
}

TEST_CASE("several listeners each get the full list", "[hub]") {
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

TEST_CASE("a source that closes before any valid line touches no listener", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  f.hub.source_closed(k_source);
  CHECK(f.hub.sessions_started() == 0);
  CHECK(f.actions.sends.empty());
  CHECK(f.actions.summaries.empty());
  CHECK(f.hub.current() == nullptr);

  // The waiting listener still gets the next real session.
  f.hub.source_connected(3);
  f.hub.source_bytes(3, k_example);
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("EVENT END alone does not start a session", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT END\n");
  CHECK(f.hub.sessions_started() == 0);
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
  CHECK(f.actions.logged("source 5 refused: session 1 is running from source 1"));
  f.hub.source_closed(stray);
  // The running session is untouched.
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(f.actions.sent[k_listener] == "2\n");
  CHECK(f.hub.sessions_started() == 1);
  CHECK(f.hub.current()->stats.events == 2);
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

TEST_CASE("each session starts with fresh engine state", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\nEVENT END\n");
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(3);
  // In a shared state, 1 would be late and 2 would answer session 1's like.
  f.hub.source_bytes(3, "1|LIKE_NOT_LIKED|5|6\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(f.hub.sessions_started() == 2);
  CHECK(f.hub.current()->stats.events == 2);
  CHECK(f.hub.current()->stats.late == 0);
  CHECK(f.hub.current()->stats.matches == 0);
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
  REQUIRE(f.hub.current() != nullptr);
  CHECK(f.hub.current()->end == SessionEnd::source_closed);
  CHECK(f.hub.current()->stats.gaps == 1);
  CHECK(f.actions.logged("1 sequence number never arrived: 3"));
}

TEST_CASE("an idle source ends its session as timed out", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  f.hub.source_closed(k_source, SourceClose::idle_timeout);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].end == SessionEnd::idle_timeout);
}

TEST_CASE("one-byte chunks and CRLF give the same list", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  std::string crlf;
  for (char c : k_example) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  for (char c : crlf) {
    f.hub.source_bytes(k_source, std::string_view(&c, 1));
  }
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK(f.hub.current()->stats.malformed == 0);
  CHECK(f.hub.current()->end == SessionEnd::event_end);
}

TEST_CASE("a byte order mark before the first line is skipped", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "\xEF\xBB\xBF" + std::string(k_example));
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
}

TEST_CASE("lines before the first valid one are skipped and the line numbers still count them",
          "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "hello\n1|LIKE_LIKED|1|2\nbad line\n");
  CHECK(f.hub.sessions_started() == 1);
  CHECK(f.actions.logged("source 1 line 3:"));
}

TEST_CASE("the listener's verdict is logged with the session and closes the listener", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.listener_line(k_listener, "MATCH BEGIN\r");
  CHECK(f.actions.logged("listener 2: MATCH BEGIN"));
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.listener_line(k_listener, "MATCH END - ERROR");
  REQUIRE(f.actions.verdicts.size() == 1);
  CHECK(f.actions.verdicts[0].listener == k_listener);
  CHECK(f.actions.verdicts[0].verdict == Verdict::error);
  CHECK(f.actions.verdicts[0].report.stats.matches == 2);
  CHECK(f.actions.was_closed(k_listener));
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict == Verdict::error);
}

TEST_CASE("an unexpected line from a listener is logged and ignored", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.listener_line(k_listener, "hello");
  CHECK(f.actions.logged("listener 2: unexpected line \"hello\", ignored"));
  CHECK_FALSE(f.actions.was_closed(k_listener));
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
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  CHECK(f.actions.summaries.empty());
  f.hub.listener_closed(k_listener);
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict == Verdict::none);
}

TEST_CASE("an undelivered session is summarised when the next one begins", "[hub]") {
  Fixture f;
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.source_connected(3);
  f.hub.source_bytes(3, "EVENT BEGIN\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK_FALSE(f.actions.summaries[0].delivered);
  CHECK(format_summary(f.actions.summaries[0]).find("matches never fully written") !=
        std::string::npos);
}

TEST_CASE("shutdown logs a running session as cut", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  f.hub.shutdown();
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].end == SessionEnd::cut);
  CHECK(f.actions.summaries[0].stats.events == 1);
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

TEST_CASE("the summary gives the time from the first event to the last match written", "[hub]") {
  auto now = std::chrono::steady_clock::time_point{};
  HubOptions options;
  options.clock = [&now] { return now; };
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  now += 250ms;
  f.hub.source_bytes(k_source, "2|LIKE_LIKED|2|1\n");
  now += 1s;
  f.hub.source_bytes(k_source, "EVENT END\n");
  f.hub.listener_line(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(format_summary(f.actions.summaries[0]) ==
        "session 1 (EVENT END): 2 events, 1 matches, 0 malformed, 0 duplicates, 0 late, 0 gaps, "
        "largest reorder depth 1, first event to last match written 0.250 s, 1 listener, "
        "verdict MATCH END - OK, rule variants agree");
}

TEST_CASE("warnings past the limit are counted, not logged", "[hub]") {
  HubOptions options;
  options.max_warnings = 2;
  Fixture f(options);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "EVENT BEGIN\nx\ny\nz\nw\nEVENT END\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].stats.malformed == 4);
  CHECK(f.actions.summaries[0].unshown_warnings == 2);
}

TEST_CASE("input from the source after EVENT END is ignored and reported once", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.source_bytes(k_source, "8|LIKE_LIKED|100|200\n");
  f.hub.source_bytes(k_source, "9|LIKE_LIKED|100|200\n");
  CHECK(f.actions.sent[k_listener] == "4\n7\n");
  CHECK(std::count_if(f.actions.logs.begin(), f.actions.logs.end(), [](const auto& entry) {
          return entry.second.find("sent more after the end") != std::string::npos;
        }) == 1);
  CHECK(f.hub.current()->stats.events == 7);
}

TEST_CASE("a verdict from a listener that received nothing is logged and closes it", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.listener_line(k_listener, "MATCH END - OK");
  CHECK(f.actions.logged("listener 2: MATCH END - OK without a session, closed"));
  CHECK(f.actions.was_closed(k_listener));
  CHECK(f.actions.verdicts.empty());
}

TEST_CASE("a verdict that comes before EVENT END counts as delivery", "[hub]") {
  Fixture f;
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  f.hub.listener_line(k_listener, "MATCH END - OK");
  CHECK(f.actions.summaries.empty());
  f.hub.source_bytes(k_source, "3|LIKE_NOT_LIKED|1|2\nEVENT END\n");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].verdict == Verdict::ok);
  CHECK(f.actions.summaries[0].stats.events == 3);
  f.hub.listener_connected(3);
  CHECK(f.actions.sent[3].empty());
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
  REQUIRE(f.hub.current() != nullptr);
  CHECK(f.hub.current()->end == SessionEnd::buffer_limit);
  CHECK(f.actions.sent[k_listener] == "3\n4\n");
  CHECK(f.actions.logged("line after the session was cut, ignored"));
}

TEST_CASE("the summary says whether the rule variants agree, and names where they part", "[hub]") {
  HubOptions options;
  options.engine.observe_events = true;  // so that the withdrawing event is named
  Fixture f(options);
  f.hub.listener_connected(k_listener);
  f.hub.source_connected(k_source);
  f.hub.source_bytes(k_source, k_example);
  f.hub.listener_line(k_listener, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 1);
  CHECK(f.actions.summaries[0].rules_agree == true);
  CHECK_FALSE(f.actions.logged("part first"));

  // 2->1 withdraws at 3, so 1->2's like at 4 is a match under ever only.
  f.hub.listener_connected(4);
  f.hub.source_connected(3);
  f.hub.source_bytes(3,
                     "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|2|1\n"
                     "4|LIKE_LIKED|1|2\nEVENT END\n");
  f.hub.listener_line(4, "MATCH END - OK");
  REQUIRE(f.actions.summaries.size() == 2);
  CHECK(f.actions.summaries[1].rules_agree == false);
  CHECK(format_summary(f.actions.summaries[1]).ends_with(", rule variants differ"));
  CHECK(
      f.actions.logged("session 2: the rule variants part first at 4 LIKE_LIKED 1->2, "
                       "answering 2->1 at 2: a match under ever; not under latest (2->1 took "
                       "the like back with LIKE_NOT_LIKED at 3)"));
}

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

std::vector<std::uint64_t> seqs(const std::vector<Match>& matches) {
  std::vector<std::uint64_t> result;
  for (const Match& match : matches) {
    result.push_back(match.seq);
  }
  return result;
}

// The alternatives of the diagnosis's "try:" line, e.g. {"--rule latest", "--rule ever --once"}.
std::vector<std::string> suggestions(const Recorder& actions) {
  constexpr std::string_view k_try = "try: likematch serve ";
  for (const auto& [severity, text] : actions.logs) {
    const std::size_t at = text.find(k_try);
    if (at == std::string::npos) {
      continue;
    }
    std::vector<std::string> found;
    std::string rest = text.substr(at + k_try.size());
    for (std::size_t comma = rest.find(", else "); comma != std::string::npos;
         comma = rest.find(", else ")) {
      found.push_back(rest.substr(0, comma));
      rest = rest.substr(comma + 7);
    }
    found.push_back(rest);
    return found;
  }
  return {};
}

// Few users, so that pairs repeat and withdraw: every variant's list differs from the others'.
std::vector<Event> parting_session() {
  GeneratorOptions options;
  options.events = 1500;
  options.users = 15;
  options.seed = 3;
  return generate_events(options);
}

TEST_CASE("an ERROR from a listener expecting another rule is diagnosed with that rule",
          "[hub][error_diagnosis]") {
  const std::vector<Event> events = parting_session();
  std::map<std::string, std::vector<std::uint64_t>> lists;
  for (const MatchRules& rules : k_rule_variants) {
    lists[describe(rules)] = seqs(reference_matches(events, rules));
  }
  for (const MatchRules& server : k_rule_variants) {
    for (const MatchRules& harness : k_rule_variants) {
      const bool differ = lists[describe(server)] != lists[describe(harness)];
      INFO("server " << describe(server) << ", harness " << describe(harness));
      CHECK(differ == (server != harness));

      HubOptions options;
      options.engine.rules = server;
      options.engine.observe_events = true;
      Fixture f(options);
      ExpectingListener expecting(lists[describe(harness)]);
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
      f.hub.listener_line(k_listener, to_string(*verdict));
      f.hub.source_closed(k_source);
      REQUIRE(f.actions.summaries.size() == 1);
      CHECK(f.actions.summaries[0].rules_agree == false);
      if (!differ) {
        CHECK(*verdict == Verdict::ok);
        CHECK(suggestions(f.actions).empty());
        continue;
      }
      CHECK(*verdict == Verdict::error);
      CHECK(f.actions.logged("session 1: listener 2: the listener had been sent "));
      const std::vector<std::string> tried = suggestions(f.actions);
      CHECK(std::find(tried.begin(), tried.end(), "--rule " + describe(harness)) != tried.end());
      CHECK(std::find(tried.begin(), tried.end(), "--rule " + describe(server)) == tried.end());
      // The listener answered as soon as it saw the fault: its rule comes first, unless
      // another parts within the same write.
      CHECK((tried.front() == "--rule " + describe(harness) || f.actions.logged("is a guess")));
    }
  }
}

TEST_CASE("an ERROR before the rule variants part is diagnosed as not the rule",
          "[hub][error_diagnosis]") {
  const std::vector<Event> events = parting_session();
  std::string stream = "EVENT BEGIN\n";
  for (const Event& event : events) {
    append_line(stream, event);
  }
  for (const MatchRules& server : k_rule_variants) {
    INFO("server " << describe(server));
    HubOptions options;
    options.engine.rules = server;
    Fixture f(options);
    f.hub.source_connected(k_source);
    std::size_t fed = 0;
    // Until the first number is out: a listener connected then gets just that one.
    while (f.hub.current() == nullptr || f.hub.current()->stats.matches == 0) {
      const std::size_t end = stream.find('\n', fed) + 1;
      f.hub.source_bytes(k_source, std::string_view(stream).substr(fed, end - fed));
      fed = end;
    }
    f.hub.listener_connected(k_listener);
    REQUIRE(std::count(f.actions.sent[k_listener].begin(), f.actions.sent[k_listener].end(),
                       '\n') == 1);
    f.hub.listener_line(k_listener, "MATCH END - ERROR");
    CHECK(f.actions.logged("listener 2: the listener had been sent 1 number, the last "));
    CHECK(
        f.actions.logged("listener 2: the four rule variants agree on everything sent: the "
                         "fault is not the rule"));
    CHECK(suggestions(f.actions).empty());
  }
}

// Sessions of every kind one after another, the later ones on the earlier ones' tables.
void run_mixed_sessions(Fixture& f) {
  GeneratorOptions big;
  big.events = 20'000;
  big.users = 300;
  big.seed = 3;
  big.shuffle = Shuffle{ShuffleKind::window, 100};
  std::string shuffled;
  for (const Event& event : generate_events(big)) {
    append_line(shuffled, event);
  }
  // Far-ahead sequence numbers and ids of more than 32 bits.
  std::string wide;
  for (const Event& event : generate_events(big)) {
    Event odd = event;
    odd.seq = event.seq * 1'000'003;
    odd.from += event.seq % 3 == 0 ? std::uint64_t{1} << 32 : 0;
    append_line(wide, odd);
  }
  // More than the buffer limit (5000) waits at once: the session is cut.
  big.shuffle = Shuffle{ShuffleKind::full, 0};
  std::string cut;
  for (const Event& event : generate_events(big)) {
    append_line(cut, event);
  }
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
    f.hub.listener_line(listener, "MATCH END - OK");
  }
}

TEST_CASE("sessions on kept tables send and report exactly what fresh ones do", "[hub]") {
  HubOptions options;
  options.engine.max_buffered = 5'000;
  options.clock = [] { return std::chrono::steady_clock::time_point{}; };
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
    CHECK(reused.actions.summaries[i].stats == fresh.actions.summaries[i].stats);
    CHECK(format_summary(reused.actions.summaries[i]) ==
          format_summary(fresh.actions.summaries[i]));
  }
  CHECK(reused.actions.summaries[3].end == SessionEnd::buffer_limit);
  CHECK(reused.actions.sent == fresh.actions.sent);
  CHECK(reused.actions.logs == fresh.actions.logs);
}

TEST_CASE("a finished session's tables are kept for the next only within the bound", "[hub]") {
  GeneratorOptions generator;
  generator.events = 50'000;
  std::string text;
  for (const Event& event : generate_events(generator)) {
    append_line(text, event);
  }
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

}  // namespace
}  // namespace likematch
