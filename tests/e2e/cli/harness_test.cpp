#include "cli/harness.hpp"

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/exit_status.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/fake_server.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {

namespace {

using cli::HarnessOptions;

using Captured = CapturedOutput;

// Small enough to be quick, with enough matches to go wrong in the middle.
HarnessOptions small_run() {
  HarnessOptions options;
  options.generator.events = 3000;
  options.generator.users = 40;
  options.generator.seed = 7;
  options.plan.timeout = std::chrono::seconds(10);
  options.plan.connect_timeout = std::chrono::seconds(2);
  return options;
}

HarnessOptions against(const FakeServer& server, HarnessOptions options = small_run()) {
  options.plan.source_port = server.source_port();
  options.plan.listener_port = server.listener_port();
  return options;
}

std::size_t expected_count(const HarnessOptions& options) {
  return likematch::test::expected_list(likematch::generate_events(options.generator),
                                        options.rules)
      .size();
}

FakeOptions answering(FakeAnswer answer) {
  FakeOptions options;
  options.answer = answer;
  return options;
}

std::string transcript_ok(std::size_t numbers) {
  return fmt::format("MATCH BEGIN\n({} numbers)\nMATCH END - OK\n", numbers);
}

}  // namespace

TEST_CASE("says MATCH END - OK to a correct server", "[harness]") {
  const HarnessOptions options = small_run();
  const std::size_t expected = expected_count(options);
  REQUIRE(expected >= 3);
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);

  CHECK(captured.out().starts_with(transcript_ok(expected)));
  CHECK(captured.out().find("time to MATCH END - OK: ") != std::string::npos);
  const auto& record = server.join();
  CHECK(record.listener_lines == std::vector<std::string>{"MATCH BEGIN", "MATCH END - OK"});
  CHECK(record.source_bytes.starts_with("EVENT BEGIN\n"));
  CHECK(record.source_bytes.ends_with("\nEVENT END\n"));
  CHECK(record.sent.size() == expected);
}

TEST_CASE("reports the tail from the source's last byte to the last expected number",
          "[harness][tail]") {
  const HarnessOptions options = small_run();
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);

  // Present, in milliseconds; its size depends on the machine and is not tested.
  INFO(captured.out());
  CHECK(std::regex_search(
      captured.out(),
      std::regex("\ntail: (none, the last expected number was read )?[0-9]+\\.[0-9]{3} ms ")));
  server.join();
}

TEST_CASE("sends the events shuffled, as generate does", "[harness]") {
  const HarnessOptions options = small_run();
  FakeServer server;
  Captured captured;
  REQUIRE(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);

  const std::string expected =
      likematch::test::stream_text(likematch::generate_events(options.generator));
  CHECK(server.join().source_bytes == expected);
}

TEST_CASE("says MATCH END - ERROR at a wrong number and stops there", "[harness]") {
  const HarnessOptions options = small_run();
  FakeServer server(answering(FakeAnswer::wrong_third));
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);

  CHECK(captured.out().starts_with("MATCH BEGIN\n(2 numbers)\nMATCH END - ERROR\n"));
  const auto& sent = server.join().sent;
  REQUIRE(sent.size() >= 3);
  CHECK(captured.err().find(fmt::format("harness: number 3: expected {}, got {}\n", sent[2] - 1,
                                        sent[2])) != std::string::npos);
}

TEST_CASE("says MATCH END - ERROR at numbers out of order", "[harness]") {
  const HarnessOptions options = small_run();
  FakeServer server(answering(FakeAnswer::swapped));
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);

  CHECK(captured.out().starts_with("MATCH BEGIN\n(1 number)\nMATCH END - ERROR\n"));
  const auto& sent = server.join().sent;
  REQUIRE(sent.size() >= 3);
  CHECK(captured.err().find(fmt::format("number 2: expected {}, got {}", sent[2], sent[1])) !=
        std::string::npos);
}

TEST_CASE("times out against a server that never answers", "[harness]") {
  HarnessOptions options = small_run();
  options.plan.timeout = std::chrono::milliseconds(300);
  FakeServer server(answering(FakeAnswer::silent));
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) ==
        likematch::cli::k_exit_no_verdict);

  CHECK(captured.out() == "MATCH BEGIN\n(0 numbers)\n");
  CHECK(captured.err().find(fmt::format("timed out after 0.3 s: 0 of {} numbers received; the "
                                        "source sent its whole stream; the listener was connected",
                                        expected_count(options))) != std::string::npos);
  // The listener gave no verdict: it only greeted.
  CHECK(server.join().listener_lines == std::vector<std::string>{"MATCH BEGIN"});
}

TEST_CASE("fails when the server hangs up on the listener", "[harness]") {
  FakeServer server(answering(FakeAnswer::hang_up));
  Captured captured;

  CHECK(run_harness(against(server), captured.output()) == likematch::cli::k_exit_no_verdict);
  INFO(captured.err());
  // The fake closes with MATCH BEGIN unread, which may reach the harness as a reset.
  const std::string err = captured.err();
  CHECK(err.find("the server closed the listener's connection") != std::string::npos);
  CHECK(err.find(" after 0 bytes, before the verdict") != std::string::npos);
}

TEST_CASE("fails when nothing listens on the source's port", "[harness]") {
  // A port that was free a moment ago: bound, then released.
  std::uint16_t free_port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    free_port = probe.local_endpoint().port();
  }
  HarnessOptions options = small_run();
  options.plan.source_port = free_port;
  options.plan.listener_port = free_port;
  options.plan.connect_timeout = std::chrono::seconds(0);
  // Only the source dials, so it is the one that fails.
  options.plan.listener_start = likematch::io::ListenerStart::after_source_end;
  Captured captured;

  CHECK(run_harness(options, captured.output()) == likematch::cli::k_exit_no_verdict);
  CHECK(captured.err().find(fmt::format("source: cannot connect to 127.0.0.1:{}: ", free_port)) !=
        std::string::npos);
  CHECK(captured.out().empty());
}

namespace {

HarnessOptions expecting_no_match() {
  HarnessOptions options = small_run();
  options.generator.events = 4;
  options.generator.users = 9000;
  return options;
}

}  // namespace

TEST_CASE("says MATCH END - OK when no match is expected and none comes in the grace",
          "[harness]") {
  const HarnessOptions options = expecting_no_match();
  REQUIRE(expected_count(options) == 0);
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  CHECK(captured.out().starts_with(transcript_ok(0)));
  CHECK(server.join().listener_lines == std::vector<std::string>{"MATCH BEGIN", "MATCH END - OK"});
}

TEST_CASE("the time to MATCH END - OK leaves out the grace the listener waits after the list",
          "[harness]") {
  HarnessOptions options = small_run();
  // Far longer than the fake takes to send the whole list.
  options.plan.grace = std::chrono::seconds(2);
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  std::smatch time;
  const std::string out = captured.out();
  REQUIRE(std::regex_search(out, time, std::regex(R"(time to MATCH END - OK: ([0-9.]+) s)")));
  CHECK(std::stod(time[1].str()) < 2.0);
}

TEST_CASE("says MATCH END - ERROR to numbers when no match is expected", "[harness]") {
  HarnessOptions options = expecting_no_match();
  REQUIRE(expected_count(options) == 0);
  // Far longer than the fake takes to answer: the numbers come within the grace.
  options.plan.grace = std::chrono::seconds(10);
  FakeOptions fake;
  fake.trailer = "5\n7\n";
  FakeServer server(fake);
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);
  CHECK(captured.out().starts_with("MATCH BEGIN\n(0 numbers)\nMATCH END - ERROR\n"));
  CHECK(captured.err().find("harness: number 1: expected no more numbers, got 5\n") !=
        std::string::npos);
  CHECK(server.join().listener_lines ==
        std::vector<std::string>{"MATCH BEGIN", "MATCH END - ERROR"});
}

TEST_CASE("says MATCH END - ERROR to a number after the last expected one", "[harness]") {
  HarnessOptions options = small_run();
  const std::size_t expected = expected_count(options);
  options.plan.grace = std::chrono::seconds(10);
  FakeOptions fake;
  fake.trailer = "999999\n";
  FakeServer server(fake);
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);
  CHECK(captured.out().starts_with(
      fmt::format("MATCH BEGIN\n({} numbers)\nMATCH END - ERROR\n", expected)));
  CHECK(captured.err().find(fmt::format("harness: number {}: expected no more numbers, got 999999",
                                        expected + 1)) != std::string::npos);
}

TEST_CASE("says ERROR to a last number without its newline when the server closes", "[harness]") {
  FakeOptions fake;
  fake.unterminated_and_close = true;
  FakeServer server(fake);
  Captured captured;

  CHECK(run_harness(against(server), captured.output()) == likematch::cli::k_exit_failure);
  CHECK_THAT(captured.err(), Catch::Contains("without its line end"));
  CHECK(server.join().listener_lines ==
        std::vector<std::string>{"MATCH BEGIN", "MATCH END - ERROR"});
}

TEST_CASE("says only problems at --log-level warn", "[harness]") {
  HarnessOptions options = small_run();
  options.log.level = likematch::cli::LogLevel::warning;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  CHECK(captured.err().empty());
  CHECK(captured.out().starts_with("MATCH BEGIN\n"));
}

TEST_CASE("logs one JSON object per line under --log-format json", "[harness][logging]") {
  HarnessOptions options = small_run();
  options.log.format = likematch::cli::LogFormat::json;
  FakeServer server(answering(FakeAnswer::wrong_third));
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);
  const std::string log = captured.err();
  INFO(log);
  REQUIRE(!log.empty());
  std::size_t lines = 0;
  for (std::size_t at = 0; at < log.size(); at = log.find('\n', at) + 1) {
    CHECK(log.compare(at, 9, R"({"time":")") == 0);
    CHECK(log[log.find('\n', at) - 1] == '}');
    ++lines;
  }
  CHECK(lines == 3);  // the start line, what it expects, then the wrong number
  CHECK(log.find(R"("level":"error","message":"harness: number 3: expected )") !=
        std::string::npos);
}

TEST_CASE("writes the source in one-byte pieces", "[harness]") {
  HarnessOptions options = small_run();
  options.generator.events = 300;
  options.generator.users = 10;
  options.plan.chunk_bytes = 1;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  CHECK(captured.out().starts_with(transcript_ok(expected_count(options))));
  CHECK(server.join().source_bytes.ends_with("EVENT END\n"));
}

TEST_CASE("ends every source line with CRLF under --crlf", "[harness]") {
  HarnessOptions options = small_run();
  options.crlf = true;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  const std::string& bytes = server.join().source_bytes;
  CHECK(bytes.starts_with("EVENT BEGIN\r\n"));
  CHECK(bytes.ends_with("\r\nEVENT END\r\n"));
  std::size_t bare = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bare += bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r') ? 1 : 0;
  }
  CHECK(bare == 0);
}

TEST_CASE("reads numbers split into single bytes and ended by CRLF", "[harness]") {
  FakeOptions fake;
  fake.bytewise = true;
  fake.crlf = true;
  FakeServer server(fake);
  Captured captured;

  CHECK(run_harness(against(server), captured.output()) == likematch::cli::k_exit_ok);
}

TEST_CASE("reads slowly under --slow-reader and still says OK", "[harness]") {
  HarnessOptions options = small_run();
  options.plan.slow_reader = true;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
}

TEST_CASE("connects the listener first under --listener-first", "[harness]") {
  HarnessOptions options = small_run();
  options.plan.listener_start = likematch::io::ListenerStart::first;
  options.log.level = likematch::cli::LogLevel::debug;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  const std::string err = captured.err();
  const auto listener = err.find("listener: connected");
  const auto source = err.find("source: dialing");
  REQUIRE(listener != std::string::npos);
  REQUIRE(source != std::string::npos);
  CHECK(listener < source);
}

TEST_CASE("connects the listener after EVENT END under --listener-last", "[harness]") {
  HarnessOptions options = small_run();
  options.plan.listener_start = likematch::io::ListenerStart::after_source_end;
  options.log.level = likematch::cli::LogLevel::debug;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  const std::string err = captured.err();
  const auto written = err.find("source: all ");
  const auto listener = err.find("listener: dialing");
  REQUIRE(written != std::string::npos);
  REQUIRE(listener != std::string::npos);
  CHECK(written < listener);
}

TEST_CASE("connects the listener after --listener-delay", "[harness]") {
  HarnessOptions options = small_run();
  options.plan.listener_start = likematch::io::ListenerStart::after_delay;
  options.plan.listener_delay = std::chrono::milliseconds(50);
  options.log.level = likematch::cli::LogLevel::debug;
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  const std::string err = captured.err();
  const auto source = err.find("source: connected");
  const auto listener = err.find("listener: dialing");
  REQUIRE(source != std::string::npos);
  REQUIRE(listener != std::string::npos);
  CHECK(source < listener);
}

TEST_CASE("matches by the rule it is given", "[harness]") {
  HarnessOptions options = small_run();
  options.rules = {likematch::Rule::latest, true};
  FakeOptions fake;
  fake.rules = options.rules;
  FakeServer server(fake);
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  CHECK(captured.out().starts_with(transcript_ok(expected_count(options))));
  CHECK(captured.err().find("rule latest --once") != std::string::npos);
}

TEST_CASE("says MATCH END - ERROR to a server that matches by another rule", "[harness]") {
  HarnessOptions options = small_run();
  options.rules = {likematch::Rule::latest, true};
  REQUIRE(expected_count(options) != expected_count(small_run()));
  FakeServer server;  // rule ever, repeats count
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_failure);
}

namespace {

// Runs the harness in listen mode in its own thread; the ports are known once it listens.
class ListeningHarness {
 public:
  explicit ListeningHarness(HarnessOptions options) : m_options(std::move(options)) {
    m_options.plan.listen = true;
    m_options.plan.source_port = 0;
    m_options.plan.listener_port = 0;
    auto ports = m_ports.get_future();
    m_thread = std::thread([this] {
      likematch::cli::HarnessHooks hooks;
      hooks.on_listening = [this](std::uint16_t source, std::uint16_t listener) {
        m_ports.set_value({source, listener});
      };
      m_status = run_harness(m_options, m_captured.output(), hooks);
    });
    if (ports.wait_for(std::chrono::seconds(10)) == std::future_status::ready) {
      std::tie(source_port, listener_port) = ports.get();
    }
  }
  ~ListeningHarness() { join(); }

  int status() {
    join();
    return m_status;
  }
  const Captured& captured() const { return m_captured; }

  std::uint16_t source_port = 0;
  std::uint16_t listener_port = 0;

 private:
  void join() {
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }

  HarnessOptions m_options;
  Captured m_captured;
  std::promise<std::pair<std::uint16_t, std::uint16_t>> m_ports;
  std::thread m_thread;
  int m_status = -1;
};

}  // namespace

TEST_CASE("listens for a server that dials under --listen", "[harness][listen]") {
  const HarnessOptions options = small_run();
  ListeningHarness harness(options);
  REQUIRE(harness.source_port != 0);
  REQUIRE(harness.listener_port != 0);
  FakeConnectClient client(harness.source_port, harness.listener_port);

  CHECK(harness.status() == likematch::cli::k_exit_ok);
  CHECK(harness.captured().out().starts_with(transcript_ok(expected_count(options))));
  CHECK(harness.captured().err().find(fmt::format("listening on 127.0.0.1:{} (Event Source)",
                                                  harness.source_port)) != std::string::npos);
  CHECK(client.join().listener_lines == std::vector<std::string>{"MATCH BEGIN", "MATCH END - OK"});
}

TEST_CASE("says where it listens as a routine line, at info, never as a warning",
          "[harness][listen]") {
  HarnessOptions options = small_run();
  options.log.level = likematch::cli::LogLevel::warning;
  ListeningHarness harness(options);
  REQUIRE(harness.source_port != 0);
  FakeConnectClient client(harness.source_port, harness.listener_port);

  CHECK(harness.status() == likematch::cli::k_exit_ok);
  CHECK(harness.captured().err().find("listening on") == std::string::npos);
  client.join();
}

TEST_CASE("logs where it listens at info level", "[harness][listen]") {
  ListeningHarness harness(small_run());
  REQUIRE(harness.source_port != 0);
  FakeConnectClient client(harness.source_port, harness.listener_port);

  CHECK(harness.status() == likematch::cli::k_exit_ok);
  CHECK_THAT(harness.captured().err(),
             Catch::Matches("(.|\n)*info    harness: listening on 127\\.0\\.0\\.1:[0-9]+ "
                            "\\(Event Source\\)(.|\n)*"));
  client.join();
}

TEST_CASE("says MATCH END - ERROR to a dialing server that answers wrong", "[harness][listen]") {
  ListeningHarness harness(small_run());
  REQUIRE(harness.source_port != 0);
  FakeConnectClient client(harness.source_port, harness.listener_port,
                           answering(FakeAnswer::swapped));

  CHECK(harness.status() == likematch::cli::k_exit_failure);
}

TEST_CASE("accepts the listener after EVENT END under --listen --listener-last",
          "[harness][listen]") {
  HarnessOptions options = small_run();
  options.plan.listener_start = likematch::io::ListenerStart::after_source_end;
  ListeningHarness harness(options);
  REQUIRE(harness.source_port != 0);
  FakeConnectClient client(harness.source_port, harness.listener_port);

  CHECK(harness.status() == likematch::cli::k_exit_ok);
}

TEST_CASE("fails in --listen mode when a port is taken", "[harness][listen]") {
  FakeServer holder;  // holds two ports, and is never dialed
  HarnessOptions options = small_run();
  options.plan.listen = true;
  options.plan.source_port = holder.source_port();
  Captured captured;

  CHECK(run_harness(options, captured.output()) == likematch::cli::k_exit_no_verdict);
  CHECK(captured.err().find(fmt::format("cannot listen on 127.0.0.1:{} (Event Source): ",
                                        holder.source_port())) != std::string::npos);
}

TEST_CASE("times out in --listen mode when no server dials", "[harness][listen]") {
  HarnessOptions options = small_run();
  options.plan.timeout = std::chrono::milliseconds(200);
  ListeningHarness harness(options);

  CHECK(harness.status() == likematch::cli::k_exit_no_verdict);
  CHECK(harness.captured().err().find("the source never connected; the listener never connected") !=
        std::string::npos);
}

// Tagged [slow] (skip with "~[slow]"): the default size, against the naive fake server.
TEST_CASE("says MATCH END - OK to a correct server at the default size", "[slow][harness]") {
  HarnessOptions options;
  options.plan.timeout = std::chrono::seconds(120);
  FakeServer server;
  Captured captured;

  CHECK(run_harness(against(server, options), captured.output()) == likematch::cli::k_exit_ok);
  INFO(captured.out());
  CHECK(captured.out().starts_with(transcript_ok(server.join().sent.size())));
}

namespace {

// Sets an environment variable for one test, and restores it.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    ::setenv(name, value, 1);
  }
  ~ScopedEnv() {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

HarnessOptions parse(std::vector<std::string> args) {
  CLI::App app;
  HarnessOptions options;
  likematch::cli::setup_harness(app, options);
  std::reverse(args.begin(), args.end());  // CLI11 takes them last first
  app.parse(args);
  return options;
}

}  // namespace

TEST_CASE("takes its sizes from SEQUENCE_COUNT and USER_COUNT", "[harness][options]") {
  ScopedEnv events("SEQUENCE_COUNT", "1234");
  ScopedEnv users("USER_COUNT", "56");

  const HarnessOptions options = parse({});
  CHECK(options.generator.events == 1234);
  CHECK(options.generator.users == 56);
  CHECK(parse({"--events", "99"}).generator.events == 99);
}

TEST_CASE("has the challenge's defaults", "[harness][options]") {
  const HarnessOptions options = parse({});
  CHECK(options.plan.source_port == 9090);
  CHECK(options.plan.listener_port == 9099);
  CHECK(options.plan.host == "127.0.0.1");
  CHECK_FALSE(options.plan.listen);
  CHECK(options.plan.timeout == std::chrono::seconds(120));
  CHECK(options.plan.listener_start == likematch::io::ListenerStart::with_source);
}

TEST_CASE("reads the listener's start from one flag", "[harness][options]") {
  CHECK(parse({"--listener-first"}).plan.listener_start == likematch::io::ListenerStart::first);
  CHECK(parse({"--listener-last"}).plan.listener_start ==
        likematch::io::ListenerStart::after_source_end);
  const HarnessOptions delayed = parse({"--listener-delay", "250"});
  CHECK(delayed.plan.listener_start == likematch::io::ListenerStart::after_delay);
  CHECK(delayed.plan.listener_delay == std::chrono::milliseconds(250));
  CHECK_THROWS_AS(parse({"--listener-first", "--listener-last"}), CLI::ExcludesError);
}

TEST_CASE("refuses a timeout of zero seconds", "[harness][options]") {
  CHECK_THROWS_WITH(parse({"--timeout", "0"}),
                    Catch::Contains("--timeout: must be a number of seconds above 0"));
}

}  // namespace likematch::test
