#include "cli/session_summary.hpp"

#include <catch2/catch.hpp>

#include <chrono>

namespace likematch::cli {
namespace {

TEST_CASE("the session summary gives the tail after the time to the last match",
          "[summary][session]") {
  SessionReport report;
  report.session = 1;
  report.end = SessionEnd::event_end;
  report.stats.events = 7;
  report.stats.matches = 2;
  report.first_event_to_last_match = std::chrono::milliseconds(708);
  report.input_end_to_last_match = std::chrono::microseconds(35125);
  CHECK_THAT(format_summary(report),
             Catch::Contains("first event to last match written 0.708 s, input end to last match "
                             "written 35.125 ms, 0 listeners"));
}

TEST_CASE("a session summary without a tail leaves it out", "[summary][session]") {
  SessionReport report;
  report.session = 1;
  report.first_event_to_last_match = std::chrono::milliseconds(708);
  const std::string summary = format_summary(report);
  CHECK_THAT(summary, Catch::Contains("first event to last match written 0.708 s, 0 listeners"));
  CHECK_THAT(summary, !Catch::Contains("input end"));
}

}  // namespace
}  // namespace likematch::cli
