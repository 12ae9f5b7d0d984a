#include "cli/session_json.hpp"

#include <catch2/catch.hpp>

namespace likematch::cli {
namespace {

TEST_CASE("a session report becomes JSON members with stable keys", "[json][session]") {
  SessionReport report;
  report.session = 3;
  report.stats.events = 1000;
  report.stats.matches = 2;
  report.stats.gaps = 1;
  report.stats.max_buffered = 17;
  report.end = SessionEnd::source_closed;
  report.first_event_to_last_match = std::chrono::microseconds(1500);
  report.input_end_to_last_match = std::chrono::microseconds(250);
  report.listeners = 2;
  report.delivered = true;
  report.verdicts_ok = 1;
  report.verdicts_error = 1;
  report.rules_agree = false;
  CHECK(
      session_json_fields(report) ==
      R"("session":3,"end":"source_closed","events":1000,"matches":2,"malformed":0,)"
      R"("oversized":0,"duplicates":0,"conflicting":0,"late":0,"misplaced_control":0,)"
      R"("after_end":0,"gaps":1,"max_buffered":17,"first_event_to_last_match_ms":1.500,)"
      R"("input_end_to_last_match_ms":0.250,"listeners":2,"delivered":true,"verdict":"error","verdicts_ok":1,"verdicts_error":1,)"
      R"("rules_agree":false)");
}

TEST_CASE("a running session without timing or verdict says so with null", "[json][session]") {
  SessionReport report;
  report.session = 1;
  const std::string fields = session_json_fields(report);
  CHECK_THAT(fields, Catch::Contains(R"("end":"running")"));
  CHECK_THAT(fields, Catch::Contains(R"("first_event_to_last_match_ms":null)"));
  CHECK_THAT(fields, Catch::Contains(R"("input_end_to_last_match_ms":null)"));
  CHECK_THAT(
      fields,
      Catch::EndsWith(R"("verdict":null,"verdicts_ok":0,"verdicts_error":0,"rules_agree":null)"));
}

}  // namespace
}  // namespace likematch::cli
