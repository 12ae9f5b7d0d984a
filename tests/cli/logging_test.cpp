#include "cli/logging.hpp"

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "tests/support/captured_output.hpp"
#include "tests/support/pseudo_terminal.hpp"

namespace likematch::cli {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

LogOptions log_options(std::optional<LogLevel> level, LogFormat format) {
  LogOptions options;
  options.level = level;
  options.format = format;
  return options;
}

TEST_CASE("a JSON logger writes one object per line with time, level and message", "[logging]") {
  test::CapturedOutput captured;
  auto logger = make_logger(log_options(LogLevel::info, LogFormat::json), captured.output());
  logger->info("session {} begins, \"quoted\"", 1);
  logger->debug("not shown at info");
  logger->warn("line\nbreak");
  const auto lines = lines_of(captured.err());
  REQUIRE(lines.size() == 2);
  const std::regex time(R"(^\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z",)");
  CHECK(std::regex_search(lines[0], time));
  CHECK_THAT(lines[0],
             Catch::EndsWith(R"("level":"info","message":"session 1 begins, \"quoted\""})"));
  CHECK_THAT(lines[1], Catch::EndsWith(R"("level":"warning","message":"line\nbreak"})"));
}

TEST_CASE("fields join the JSON object and stay out of text lines", "[logging]") {
  const std::string_view fields = R"j("session":1,"events":7)j";
  test::CapturedOutput json;
  log_with_fields(*make_logger(log_options(LogLevel::info, LogFormat::json), json.output()),
                  spdlog::level::info, "session 1 (EVENT END)", fields);
  CHECK_THAT(json.err(), Catch::EndsWith(R"j("message":"session 1 (EVENT END)","session":1,)j"
                                         R"j("events":7})j"
                                         "\n"));

  test::CapturedOutput text;
  log_with_fields(*make_logger(log_options(LogLevel::info, LogFormat::text), text.output()),
                  spdlog::level::info, "session 1 (EVENT END)", fields);
  CHECK_THAT(text.err(), Catch::EndsWith("session 1 (EVENT END)\n"));
  CHECK_THAT(text.err(), !Catch::Contains("\"session\""));
}

// Sets LOG_LEVEL for one test, and unsets it after.
class LogLevelVariable {
 public:
  explicit LogLevelVariable(const char* value) { ::setenv("LOG_LEVEL", value, 1); }
  ~LogLevelVariable() { ::unsetenv("LOG_LEVEL"); }
  LogLevelVariable(const LogLevelVariable&) = delete;
  LogLevelVariable& operator=(const LogLevelVariable&) = delete;
};

TEST_CASE("an unknown LOG_LEVEL is only a warning", "[logging]") {
  test::CapturedOutput captured;
  const LogLevelVariable variable("verbose");
  auto logger = make_logger(log_options(std::nullopt, LogFormat::json), captured.output());
  CHECK(logger->level() == spdlog::level::info);
  CHECK_THAT(captured.err(),
             Catch::Contains("LOG_LEVEL=verbose is not a known level (trace, debug, info, "
                             "warning, error): using info"));
}

// Issue 13 case 14: logs say "warning", and LOG_LEVEL=warning, warn and WARN all mean it.
TEST_CASE("LOG_LEVEL takes warning, warn and any case", "[logging]") {
  for (const char* value : {"warning", "warn", "WARN", "Warning", "ERROR", "Debug", "trace"}) {
    INFO(value);
    test::CapturedOutput captured;
    const LogLevelVariable variable(value);
    auto logger = make_logger(LogOptions{}, captured.output());
    CHECK(captured.err().empty());
    CHECK(logger->level() != spdlog::level::info);
  }
}

TEST_CASE("a log line names its level with a word --log-level takes", "[logging]") {
  test::CapturedOutput captured;
  auto logger = make_logger(log_options(LogLevel::trace, LogFormat::json), captured.output());
  logger->trace("t");
  logger->debug("d");
  logger->info("i");
  logger->warn("w");
  logger->error("e");
  std::vector<std::string> names;
  for (const auto& [name, level] : log_level_names()) {
    names.push_back(name);
  }
  const std::regex level(R"re("level":"([a-z]+)")re");
  int lines = 0;
  for (const std::string& line : lines_of(captured.err())) {
    std::smatch found;
    REQUIRE(std::regex_search(line, found, level));
    CHECK(std::find(names.begin(), names.end(), found[1].str()) != names.end());
    ++lines;
  }
  CHECK(lines == 5);
}

}  // namespace
}  // namespace likematch::cli

namespace likematch::cli {
namespace {

// Sets a variable for one test and puts back what was there.
class Variable {
 public:
  Variable(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
    ::tzset();
  }
  ~Variable() {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
    ::tzset();
  }
  Variable(const Variable&) = delete;
  Variable& operator=(const Variable&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

TEST_CASE("text log lines are stamped in UTC, with a Z", "[logging]") {
  // Far from UTC, and not by whole hours: local time would show.
  const Variable zone("TZ", "Asia/Kathmandu");
  test::CapturedOutput captured;
  auto logger = make_logger(log_options(LogLevel::info, LogFormat::text), captured.output());
  const std::time_t before = std::time(nullptr);
  logger->info("now");
  const std::time_t after = std::time(nullptr);
  const std::string line = captured.err();
  std::tm stamped{};
  REQUIRE(::strptime(line.c_str(), "%Y-%m-%dT%H:%M:%S", &stamped) != nullptr);
  const std::time_t when = ::timegm(&stamped);
  CHECK(when >= before - 1);
  CHECK(when <= after);
  CHECK(std::regex_search(line, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )")));
}

TEST_CASE("messages start in one column whatever their level", "[logging]") {
  test::CapturedOutput captured;
  auto logger = make_logger(log_options(LogLevel::trace, LogFormat::text), captured.output());
  logger->info("message");
  logger->warn("message");
  logger->error("message");
  logger->debug("message");
  const auto lines = lines_of(captured.err());
  REQUIRE(lines.size() == 4);
  for (const std::string& line : lines) {
    INFO(line);
    CHECK(line.find("message") == lines.front().find("message"));
  }
  CHECK(lines[1].find(" warning message") != std::string::npos);
}

// Logs one line through a terminal (a pseudo-terminal's end) and returns what it showed.
std::string through_terminal(ColorMode color) {
  test::PseudoTerminal terminal;
  {
    LogOptions options = log_options(LogLevel::info, LogFormat::text);
    options.color = color;
    auto logger = make_logger(options, Output{stdout, terminal.file()});
    logger->warn("coloured?");
  }
  return terminal.shown();
}

TEST_CASE("NO_COLOR turns colours off on a terminal; --color decides over it", "[logging]") {
  // spdlog colours only terminals whose TERM it knows; it reads TERM once per process.
  const Variable term("TERM", "xterm-256color");
  const std::string escape = "\x1b[";
  {
    const Variable unset("NO_COLOR", nullptr);
    CHECK_THAT(through_terminal(ColorMode::automatic), Catch::Contains(escape));
    CHECK_THAT(through_terminal(ColorMode::never), !Catch::Contains(escape));
  }
  {
    const Variable set("NO_COLOR", "1");
    CHECK_THAT(through_terminal(ColorMode::automatic), !Catch::Contains(escape));
    CHECK_THAT(through_terminal(ColorMode::always), Catch::Contains(escape));
  }
  {
    const Variable empty("NO_COLOR", "");  // set but empty: as if unset
    CHECK_THAT(through_terminal(ColorMode::automatic), Catch::Contains(escape));
  }
}

}  // namespace
}  // namespace likematch::cli
