#include "cli/session_summary.hpp"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "cli/messages.hpp"

namespace likematch::cli {

std::string describe_verdicts(const SessionReport& report) {
  const std::uint64_t none = report.listeners - report.verdicts_ok - report.verdicts_error;
  const std::string listeners = plural(report.listeners, "listener", "listeners");
  // One kind of outcome (or none at all): said once.
  if (report.verdicts_error == 0 && none == 0 && report.verdicts_ok != 0) {
    return fmt::format("{}, verdict {}", listeners, to_string(Verdict::ok));
  }
  if (report.verdicts_ok == 0 && none == 0 && report.verdicts_error != 0) {
    return fmt::format("{}, verdict {}", listeners, to_string(Verdict::error));
  }
  if (report.verdicts_ok == 0 && report.verdicts_error == 0) {
    return fmt::format("{}, verdict none", listeners);
  }
  std::vector<std::string> counts;
  if (report.verdicts_ok != 0) {
    counts.push_back(fmt::format("{} {}", report.verdicts_ok, to_string(Verdict::ok)));
  }
  if (report.verdicts_error != 0) {
    counts.push_back(fmt::format("{} {}", report.verdicts_error, to_string(Verdict::error)));
  }
  if (none != 0) {
    counts.push_back(fmt::format("{} none", none));
  }
  return fmt::format("{}, verdicts: {}", listeners, fmt::join(counts, ", "));
}

std::string format_summary(const SessionReport& report) {
  const Stats& s = report.stats;
  std::string timing;
  if (report.first_event_to_last_match) {
    const std::chrono::duration<double> seconds = *report.first_event_to_last_match;
    timing = fmt::format("first event to last match written {:.3f} s", seconds.count());
    if (report.input_end_to_last_match) {
      const std::chrono::duration<double, std::milli> tail = *report.input_end_to_last_match;
      timing += fmt::format(", input end to last match written {:.3f} ms", tail.count());
    }
  } else if (s.matches == 0) {
    timing = "no match to write";
  } else {
    timing = "matches never fully written";
  }
  std::string rare;
  if (s.misplaced_control != 0) {
    rare += ", " + plural(s.misplaced_control, "misplaced control line", "misplaced control lines");
  }
  if (s.after_end != 0) {
    rare += fmt::format(", {} after the end", plural(s.after_end, "line", "lines"));
  }
  std::string rules;
  if (report.rules_agree) {
    rules = *report.rules_agree ? ", rule variants agree" : ", rule variants differ";
  }
  std::string warnings;
  if (report.unshown_warnings != 0) {
    warnings =
        fmt::format(", {} not logged", plural(report.unshown_warnings, "warning", "warnings"));
  }
  return fmt::format(
      "session {} ({}): {}, {}, {} malformed, {}, {} late, {}{}, largest reorder depth {}, {}, "
      "{}{}{}",
      report.session, report.end ? to_string(*report.end) : std::string_view("running"),
      plural(s.events, "event", "events"), plural(s.matches, "match", "matches"), s.malformed,
      plural(s.duplicates, "duplicate", "duplicates"), s.late, plural(s.gaps, "gap", "gaps"), rare,
      s.max_buffered, timing, describe_verdicts(report), rules, warnings);
}

}  // namespace likematch::cli
