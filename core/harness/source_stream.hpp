#pragma once

#include <string>
#include <vector>

#include "core/engine/input/event.hpp"

namespace likematch {

struct SourceFraming {
  bool control_lines = true;  // EVENT BEGIN before the events, EVENT END after them
  // Every line ends in "\r\n", the control lines too: a source that ends its lines one way ends
  // them all that way.
  bool crlf = false;
};

// The Event Source's bytes for `events`, one line each in the order given: what the harness
// sends, and what tests feed a server or the engine. The one writer of that stream.
std::string source_stream(const std::vector<Event>& events, SourceFraming framing = {});

}  // namespace likematch
