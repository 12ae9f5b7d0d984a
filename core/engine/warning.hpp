#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace likematch {

enum class DiagnosticKind {
  malformed,              // a line that is not an event nor a control line
  oversized,              // a line longer than the limit, skipped unread
  duplicate_identical,    // a second copy of a buffered sequence number, same content
  duplicate_conflicting,  // a second copy of a buffered sequence number, other content
  late,                   // a sequence number that was already decided
  misplaced_control,      // EVENT BEGIN after events, twice, or anything after EVENT END
  gaps,                   // at end of input: sequence numbers that never arrived
  buffer_limit,           // too many events waiting for an earlier one: the session is cut
};

std::string_view to_string(DiagnosticKind kind);

// A warning about the input, as a value. `line` is 1-based within the stream fed to the
// engine; 0 means the diagnostic is about the stream as a whole (e.g. gaps at its end).
struct Diagnostic {
  DiagnosticKind kind = DiagnosticKind::malformed;
  std::uint64_t line = 0;
  std::string message;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

}  // namespace likematch
