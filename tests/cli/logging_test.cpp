#include "cli/logging.hpp"

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

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

TEST_CASE("a JSON logger writes one object per line with time, level and message", "[logging]") {
  testing::CapturedOutput captured;
  auto logger = make_logger(LogOptions{"info", LogFormat::json}, captured.output());
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
  testing::CapturedOutput json;
  log_with_fields(*make_logger(LogOptions{"info", LogFormat::json}, json.output()),
                  spdlog::level::info, "session 1 (EVENT END)", fields);
  CHECK_THAT(json.err(), Catch::EndsWith(R"j("message":"session 1 (EVENT END)","session":1,)j"
                                         R"j("events":7})j"
                                         "\n"));

  testing::CapturedOutput text;
  log_with_fields(*make_logger(LogOptions{"info", LogFormat::text}, text.output()),
                  spdlog::level::info, "session 1 (EVENT END)", fields);
  CHECK_THAT(text.err(), Catch::EndsWith("session 1 (EVENT END)\n"));
  CHECK_THAT(text.err(), !Catch::Contains("\"session\""));
}

TEST_CASE("an unknown --log-level is an error, an unknown LOG_LEVEL only a warning", "[logging]") {
  testing::CapturedOutput captured;
  CHECK_THROWS_AS(make_logger(LogOptions{"loud", LogFormat::text}, captured.output()),
                  std::invalid_argument);
  ::setenv("LOG_LEVEL", "verbose", 1);
  auto logger = make_logger(LogOptions{"", LogFormat::json}, captured.output());
  ::unsetenv("LOG_LEVEL");
  CHECK(logger->level() == spdlog::level::info);
  CHECK_THAT(captured.err(), Catch::Contains("LOG_LEVEL=verbose is not a known level"));
}

}  // namespace
}  // namespace likematch::cli
