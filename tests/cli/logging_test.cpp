#include "cli/logging.hpp"

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "tests/support/captured_output.hpp"

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

// A new user met this: logs say "warning", and LOG_LEVEL=warning, warn and WARN all mean it.
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
