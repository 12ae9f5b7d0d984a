#pragma once

// The streams the component benchmarks share: made once per process by likematch's own
// generator (seed 1, 9,000 users, as bench/run.sh's 1M file), so that every benchmark of a
// run reads the same events.
#include <cstdint>
#include <string>
#include <vector>

#include "core/engine/input/event.hpp"
#include "core/harness/generator.hpp"

namespace likematch::bench {

inline constexpr std::uint64_t k_events = 1'000'000;

// The events in arrival order, fully shuffled.
inline const std::vector<Event>& shuffled_events() {
  static const std::vector<Event> events = [] {
    GeneratorOptions options;
    options.events = k_events;
    options.users = 9000;  // as bench/run.sh's 1M file
    options.seed = 1;
    options.shuffle = Shuffle{ShuffleKind::full, 0};
    return generate_events(options);
  }();
  return events;
}

// The same events in sequence order, as the matcher sees them.
inline const std::vector<Event>& ordered_events() {
  static const std::vector<Event> events = [] {
    std::vector<Event> sorted(k_events);
    for (const Event& event : shuffled_events()) {
      sorted[event.seq - 1] = event;
    }
    return sorted;
  }();
  return events;
}

// The shuffled events as the lines a source sends, "SEQ|TYPE|FROM|TO\n" each.
inline const std::string& shuffled_text() {
  static const std::string text = [] {
    std::string bytes;
    bytes.reserve(k_events * 32);
    for (const Event& event : shuffled_events()) {
      append_line(bytes, event);
    }
    return bytes;
  }();
  return text;
}

}  // namespace likematch::bench
