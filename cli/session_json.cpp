#include "cli/session_json.hpp"

#include <fmt/format.h>

#include "cli/json_text.hpp"

namespace likematch::cli {

namespace {

// Stable keys for machines; to_string(SessionEnd) is the wording for people.
std::string_view end_key(SessionEnd end) {
  switch (end) {
    case SessionEnd::event_end:
      return "event_end";
    case SessionEnd::source_closed:
      return "source_closed";
    case SessionEnd::idle_timeout:
      return "idle_timeout";
    case SessionEnd::buffer_limit:
      return "buffer_limit";
    case SessionEnd::shutdown:
      return "shutdown";
    case SessionEnd::remote_failed:
      return "remote_failed";
  }
  return "unknown";
}

std::string_view verdict_key(std::optional<Verdict> verdict) {
  if (!verdict) {
    return "null";
  }
  return *verdict == Verdict::ok ? R"("ok")" : R"("error")";
}

}  // namespace

std::string session_json_fields(const SessionReport& report) {
  const Stats& s = report.stats;
  std::string timing = "null";
  if (report.first_event_to_last_match) {
    const std::chrono::duration<double, std::milli> ms = *report.first_event_to_last_match;
    timing = fmt::format("{:.3f}", ms.count());
  }
  std::string tail = "null";
  if (report.input_end_to_last_match) {
    const std::chrono::duration<double, std::milli> ms = *report.input_end_to_last_match;
    tail = fmt::format("{:.3f}", ms.count());
  }
  return fmt::format(
      R"("session":{},"end":{},"events":{},"matches":{},"malformed":{},"oversized":{},)"
      R"("duplicates":{},"conflicting":{},"late":{},"misplaced_control":{},"after_end":{},)"
      R"("gaps":{},"max_buffered":{},"first_event_to_last_match_ms":{},)"
      R"("input_end_to_last_match_ms":{},"listeners":{},"delivered":{},"verdict":{},)"
      R"("verdicts_ok":{},"verdicts_error":{},"rules_agree":{})",
      report.session, report.end ? json_quote(end_key(*report.end)) : std::string("\"running\""),
      s.events, s.matches, s.malformed, s.oversized, s.duplicates, s.conflicting, s.late,
      s.misplaced_control, s.after_end, s.gaps, s.max_buffered, timing, tail, report.listeners,
      report.delivered ? "true" : "false", verdict_key(report.verdict()), report.verdicts_ok,
      report.verdicts_error,
      !report.rules_agree ? "null" : (*report.rules_agree ? "true" : "false"));
}

}  // namespace likematch::cli
