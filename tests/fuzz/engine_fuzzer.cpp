// libFuzzer target: whatever bytes come, the streaming engine, fed them in arbitrary pieces,
// sends exactly what the reference matcher computes from the same lines, and never crashes.
//
// Input layout: byte 0 picks the rules (bit 0 the rule, bit 1 once, bits 3 and up the
// self-like rule) and the line limit (bit 2), byte 1 seeds the chunk sizes, the rest is the
// event stream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/engine/input/line_parser.hpp"
#include "core/rules/reference_matcher.hpp"

namespace {

using namespace likematch;

class CollectingSink : public EngineSink {
 public:
  void on_match(const Match& match) override { matches.push_back(match); }
  Flow on_warning(const Warning&) override { return Flow::go_on; }
  std::vector<Match> matches;
};

// The stream's events as the engine must see them, from first principles: a byte order mark
// at the start dropped, lines split at '\n', one '\r' before it dropped, over-long lines
// dropped, an EVENT END before the first valid line ignored, nothing after the EVENT END that
// ends the session.
std::vector<Event> events_of(std::string_view text, std::size_t max_line_length) {
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
  }
  std::vector<Event> events;
  bool began = false;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    if (line.ends_with('\r')) {
      line.remove_suffix(1);
    }
    if (line.size() > max_line_length) {
      continue;
    }
    const ParsedLine parsed = parse_line(line);
    if (const auto* control = std::get_if<ControlLine>(&parsed)) {
      if (*control == ControlLine::event_end && began) {
        break;
      }
      began = began || *control == ControlLine::event_begin;
    } else if (const auto* event = std::get_if<Event>(&parsed)) {
      began = true;
      events.push_back(*event);
    }
  }
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  EngineOptions options;
  options.rules.rule = (data[0] & 1) != 0 ? Rule::latest : Rule::ever;
  options.rules.once = (data[0] & 2) != 0;
  options.rules.self_likes = static_cast<SelfLikeRule>((data[0] >> 3) % 3);
  options.max_line_length = (data[0] & 4) != 0 ? 24 : 4096;
  std::uint32_t chunk_state = data[1] + 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  CollectingSink sink;
  Engine engine(options, sink);
  for (std::size_t at = 0; at < text.size();) {
    chunk_state = chunk_state * 1103515245u + 12345u;
    const std::size_t piece = 1 + (chunk_state >> 16) % 64;
    engine.feed(text.substr(at, piece));
    at += piece;
  }
  engine.finish();

  if (sink.matches != reference_matches(events_of(text, options.max_line_length), options.rules)) {
    std::abort();
  }
  return 0;
}
