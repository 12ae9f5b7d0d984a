#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace likematch {

enum class WarningKind {
  malformed,              // a line that is not an event nor a control line
  oversized,              // a line longer than the limit, skipped unread
  duplicate_identical,    // a second copy of a buffered sequence number, same content
  duplicate_conflicting,  // a second copy of a buffered sequence number, other content
  late,                   // a sequence number that was already decided
  misplaced_control,      // EVENT BEGIN after events or twice, EVENT END before the session
  after_end,              // any line after the session's end (EVENT END or the buffer limit)
  gaps,                   // at the end: sequence numbers below buffered ones never arrived
  buffer_limit,           // too many events waiting for an earlier one: the session is cut
};

std::string_view to_string(WarningKind kind);

// How many warnings about one stream are written out before the rest are only counted, by
// default (replay's --max-warnings, serve's per-source log).
inline constexpr std::uint64_t k_warnings_shown = 20;

// What the engine does with the line a warning is about, as words to follow the message
// ("duplicate of sequence number 3, ignored"); empty where the message says it all. Under
// --strict nothing is done with it: the input stops there.
std::string_view consequence(WarningKind kind);

// A warning about the input, as a value. `line` is 1-based within the stream fed to the
// engine; 0 means the warning is about the stream as a whole (e.g. gaps at its end).
struct Warning {
  WarningKind kind = WarningKind::malformed;
  std::uint64_t line = 0;
  std::string message;

  friend bool operator==(const Warning&, const Warning&) = default;
};

}  // namespace likematch
