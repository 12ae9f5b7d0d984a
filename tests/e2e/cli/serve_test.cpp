// The `likematch serve` process itself: what only the binary does (signals, the listening
// line, the exit status). The session behaviour is tested in tests/e2e/cli/serve_loopback_test.cpp.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/harness/generator.hpp"
#include "tests/support/files.hpp"
#include "tests/support/loopback.hpp"
#include "tests/support/streams.hpp"

extern char** environ;

namespace likematch::test {
namespace {

// `likematch serve ARGS` with its standard error in a temporary file; killed if still running
// at the end of the test.
class ServeProcess {
 public:
  explicit ServeProcess(std::vector<std::string> args) : m_err(output_tmpfile()) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fileno(m_err), 2);
    args.insert(args.begin(), {LIKEMATCH_BINARY, "serve"});
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    if (posix_spawn(&m_pid, LIKEMATCH_BINARY, &actions, nullptr, argv.data(), environ) != 0) {
      m_pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
  }

  ~ServeProcess() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      ::waitpid(m_pid, nullptr, 0);
    }
    std::fclose(m_err);
  }

  bool started() const { return m_pid > 0; }

  std::string err() { return read_file(m_err); }

  // Waits for `pattern` in standard error; the first capture group, or "" on timeout.
  std::string wait_for(const std::regex& pattern) {
    const auto deadline = std::chrono::steady_clock::now() + k_wait;
    std::smatch found;
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = err();
      if (std::regex_search(text, found, pattern)) {
        return found.size() > 1 ? found[1].str() : found[0].str();
      }
      std::this_thread::sleep_for(5ms);
    }
    return "";
  }

  void signal(int number) { ::kill(m_pid, number); }

  // The exit status, or -1 if it did not exit normally within k_wait.
  int wait_exit() {
    const auto deadline = std::chrono::steady_clock::now() + k_wait;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(5ms);
    }
    return -1;
  }

 private:
  std::FILE* m_err;
  pid_t m_pid = -1;
};

std::uint16_t port_after(ServeProcess& serve, const std::string& what) {
  const std::string port = serve.wait_for(std::regex(what + " on 127\\.0\\.0\\.1:([0-9]+)"));
  return port.empty() ? 0 : static_cast<std::uint16_t>(std::stoi(port));
}

TEST_CASE("serve logs the ports it bound and stops on SIGTERM or SIGINT, a running session cut",
          "[serve][process]") {
  for (const int signal : {SIGTERM, SIGINT}) {
    const std::string name = signal == SIGTERM ? "SIGTERM" : "SIGINT";
    DYNAMIC_SECTION(name) {
      ServeProcess serve({"--source-port", "0", "--listener-port", "0"});
      REQUIRE(serve.started());
      const std::uint16_t source_port = port_after(serve, "Event Source");
      const std::uint16_t listener_port = port_after(serve, "Event Listeners");
      REQUIRE(source_port != 0);
      REQUIRE(listener_port != 0);

      Peer listener = Peer::connect(listener_port);
      Peer source = Peer::connect(source_port);
      REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n"));
      REQUIRE(listener.read_size(2));
      CHECK(listener.received == "2\n");

      serve.signal(signal);
      CHECK(serve.wait_exit() == 0);
      const std::string log = serve.err();
      INFO(log);
      // By its name, as kill(1) and the operator's runbook call it, not its number.
      CHECK(log.find(name + " received, stopping") != std::string::npos);
      // The first line says which build served, with what settings.
      const std::string first = log.substr(0, log.find('\n'));
      CHECK_THAT(first, Catch::Contains(" info    likematch " LIKEMATCH_VERSION_FOR_TESTS));
      CHECK(std::regex_search(first, std::regex(" serve, run [0-9]{8}T[0-9]{6}Z-[0-9]+: rule ever, "
                                                "--idle-timeout 30 s, verdict timeout 30 s, "
                                                "--max-sources 16, --max-listeners 64, ")));
      CHECK(log.find("session 1 (cut by shutdown): 2 events, 1 match,") != std::string::npos);
      CHECK(listener.wait_closed());
    }
  }
}

TEST_CASE("serve says which ports it cannot listen on and exits 1", "[serve][process]") {
  Listening taken;
  const std::string port = std::to_string(taken.port());
  ServeProcess serve({"--source-port", port, "--listener-port", "0"});
  REQUIRE(serve.started());
  CHECK(serve.wait_exit() == 1);
  CHECK(serve.err().find(fmt::format("cannot listen on 127.0.0.1:{} (Event Source): bind: ",
                                     port)) != std::string::npos);
}

TEST_CASE("serve survives a listener that resets while matches are written to it (no SIGPIPE)",
          "[serve][process][faults]") {
  GeneratorOptions generator;
  generator.events = 200'000;
  generator.users = 10;  // about a third match: far more than the socket buffers hold
  generator.shuffle = Shuffle{ShuffleKind::window, 100};
  const Session session = generated_session(generator);
  const std::string& events = session.text;
  const std::string& expected = session.expected;

  ServeProcess serve({"--source-port", "0", "--listener-port", "0"});
  REQUIRE(serve.started());
  const std::uint16_t source_port = port_after(serve, "Event Source");
  const std::uint16_t listener_port = port_after(serve, "Event Listeners");
  REQUIRE(source_port != 0);
  {
    Peer doomed = Peer::connect(listener_port);
    Peer source = Peer::connect(source_port);
    const std::size_t half = events.size() / 2;
    REQUIRE(source.send(std::string_view(events).substr(0, half)));
    REQUIRE(doomed.read_size(1));
    doomed.reset();
    REQUIRE(source.send(std::string_view(events).substr(half)));
    REQUIRE(!serve.wait_for(std::regex("session 1 input ended")).empty());
  }
  // Still alive: the next listener gets the session's whole list, and a signal still ends
  // the server cleanly.
  Peer listener = Peer::connect(listener_port);
  REQUIRE(listener.read_size(expected.size()));
  CHECK(listener.received == expected);
  REQUIRE(listener.send("MATCH END - OK\n"));
  CHECK(!serve.wait_for(std::regex("listener [0-9]+: MATCH END - OK")).empty());
  serve.signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);
}

TEST_CASE("serve exits 1 when its port is taken", "[serve][process]") {
  Listening taken;
  ServeProcess serve({"--source-port", std::to_string(taken.port()), "--listener-port", "0"});
  REQUIRE(serve.started());
  CHECK(serve.wait_exit() == 1);
  CHECK(serve.err().find("Address already in use") != std::string::npos);
}

TEST_CASE("serve logs JSON lines and appends each session's summary to --summary-json",
          "[serve][process][logging]") {
  const TempDir dir;
  const std::string summary_path = dir.write("summary.jsonl", "");
  ServeProcess serve({"--source-port", "0", "--listener-port", "0", "--log-format", "json",
                      "--summary-json", summary_path});
  REQUIRE(serve.started());
  const std::regex port_pattern(
      "Event Source on 127\\.0\\.0\\.1:([0-9]+), Event Listeners on "
      "127\\.0\\.0\\.1:([0-9]+)");
  REQUIRE(!serve.wait_for(port_pattern).empty());
  std::smatch ports;
  const std::string first = serve.err();
  REQUIRE(std::regex_search(first, ports, port_pattern));

  Peer listener = Peer::connect(static_cast<std::uint16_t>(std::stoi(ports[2].str())));
  Peer source = Peer::connect(static_cast<std::uint16_t>(std::stoi(ports[1].str())));
  REQUIRE(listener.send("MATCH BEGIN\n"));
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\nbad\n2|LIKE_LIKED|2|1\nEVENT END\n"));
  REQUIRE(listener.read_size(2));
  REQUIRE(listener.send("MATCH END - OK\n"));
  REQUIRE(!serve.wait_for(std::regex(R"("message":"session 1 \(EVENT END\))")).empty());
  serve.signal(SIGTERM);
  CHECK(serve.wait_exit() == 0);

  const std::string log = serve.err();
  INFO(log);
  std::size_t lines = 0;
  for (std::size_t at = 0; at < log.size(); at = log.find('\n', at) + 1) {
    CHECK(log.compare(at, 9, R"({"time":")") == 0);
    CHECK(log[log.find('\n', at) - 1] == '}');
    ++lines;
  }
  CHECK(lines >= 4);
  // Every line about a connection, a session or a warning carries what it is about as fields.
  CHECK(std::regex_search(log, std::regex(R"("message":"source [0-9]+ connected from )"
                                          R"(127\.0\.0\.1:[0-9]+","source":[0-9]+,)"
                                          R"("peer":"127\.0\.0\.1:[0-9]+"\})")));
  CHECK(std::regex_search(log, std::regex(R"("message":"listener [0-9]+ connected from )"
                                          R"([^"]*","listener":[0-9]+,"peer":")")));
  CHECK(std::regex_search(log, std::regex(R"("level":"warning","message":"session 1: source )"
                                          R"([0-9]+ line 3: [^"]*","session":1,"source":[0-9]+,)"
                                          R"("line":3\})")));
  CHECK(std::regex_search(log, std::regex(R"("message":"session 1 begins[^"]*","session":1,)"
                                          R"("source":[0-9]+,"rule":"ever"\})")));
  CHECK(log.find(R"("session":1,"end":"event_end","events":2,"matches":1,)") != std::string::npos);

  REQUIRE(std::filesystem::exists(summary_path));
  const std::string summary = read_file(summary_path);
  // When, and which run: session 1 of this process, not of the one before.
  CHECK(std::regex_search(summary,
                          std::regex(R"(^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z",)"
                                     R"("run":"\d{8}T\d{6}Z-\d+","session":1,"end":"event_end",)"
                                     R"("events":2,"matches":1,)")));
  CHECK(summary.ends_with(R"("listeners":1,"delivered":true,"verdict":"ok","verdicts_ok":1,)"
                          R"("verdicts_error":0,"rules_agree":true})"
                          "\n"));
  CHECK(std::count(summary.begin(), summary.end(), '\n') == 1);
  // The tail is there, as a non-negative number of milliseconds (its size is not tested).
  CHECK(
      std::regex_search(summary, std::regex(R"("input_end_to_last_match_ms":[0-9]+\.[0-9]{3},)")));
}

}  // namespace
}  // namespace likematch::test
