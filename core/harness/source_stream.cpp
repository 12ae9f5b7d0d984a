#include "core/harness/source_stream.hpp"

#include "core/engine/input/protocol.hpp"
#include "core/harness/generator.hpp"

namespace likematch {

std::string source_stream(const std::vector<Event>& events, SourceFraming framing) {
  std::string bytes;
  // About 32 bytes a line at the challenge's sizes: one allocation for the usual stream.
  bytes.reserve(events.size() * (framing.crlf ? 33 : 32) + 32);
  const auto end_line = [&bytes, framing] {
    if (framing.crlf) {
      bytes.back() = '\r';
      bytes += '\n';
    }
  };
  const auto control_line = [&](std::string_view line) {
    bytes += line;
    bytes += '\n';
    end_line();
  };
  if (framing.control_lines) {
    control_line(k_event_begin);
  }
  for (const Event& event : events) {
    append_line(bytes, event);  // ends it with '\n'
    end_line();
  }
  if (framing.control_lines) {
    control_line(k_event_end);
  }
  return bytes;
}

}  // namespace likematch
