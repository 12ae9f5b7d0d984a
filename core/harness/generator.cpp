#include "core/harness/generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/harness/random.hpp"

namespace likematch {

std::optional<Shuffle> parse_shuffle(std::string_view text) {
  if (text == "full") {
    return Shuffle{ShuffleKind::full, 0};
  }
  if (text == "none") {
    return Shuffle{ShuffleKind::none, 0};
  }
  constexpr std::string_view prefix = "window:";
  if (!text.starts_with(prefix)) {
    return std::nullopt;
  }
  text.remove_prefix(prefix.size());
  std::uint64_t window = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), window);
  if (error != std::errc{} || end != text.data() + text.size() || window == 0) {
    return std::nullopt;
  }
  return Shuffle{ShuffleKind::window, window};
}

std::string to_string(const Shuffle& shuffle) {
  switch (shuffle.kind) {
    case ShuffleKind::none:
      return "none";
    case ShuffleKind::full:
      return "full";
    case ShuffleKind::window:
      return fmt::format("window:{}", shuffle.window);
  }
  return "?";
}

std::optional<std::string> check(const GeneratorOptions& options) {
  if (options.users == 0) {
    return "the number of users must be at least 1";
  }
  if (options.users == 1 && !options.self_likes && options.events != 0) {
    return "one user can only like itself: use at least 2 users, or allow self-likes";
  }
  return std::nullopt;
}

std::vector<Event> generate_events(const GeneratorOptions& options) {
  Random random(options.seed);
  std::vector<Event> events(options.events);
  for (std::uint64_t i = 0; i < options.events; ++i) {
    Event& event = events[i];
    event.seq = i + 1;
    event.type = static_cast<LikeType>(1 + random.below(3));
    event.from = 1 + random.below(options.users);
    do {
      event.to = 1 + random.below(options.users);
    } while (event.to == event.from && !options.self_likes);
  }

  switch (options.shuffle.kind) {
    case ShuffleKind::none:
      break;
    case ShuffleKind::full:
      for (std::uint64_t i = options.events; i > 1; --i) {
        std::swap(events[i - 1], events[random.below(i)]);
      }
      break;
    case ShuffleKind::window: {
      // Each event moves to a key within `window` of its place; sorting by key keeps every
      // event fewer than `window` positions from where it belongs.
      std::vector<std::pair<std::uint64_t, std::uint64_t>> keyed(options.events);
      for (std::uint64_t i = 0; i < options.events; ++i) {
        keyed[i] = {i + random.below(options.shuffle.window), i};
      }
      std::sort(keyed.begin(), keyed.end());
      std::vector<Event> shuffled(options.events);
      for (std::uint64_t i = 0; i < options.events; ++i) {
        shuffled[i] = events[keyed[i].second];
      }
      events = std::move(shuffled);
      break;
    }
  }
  return events;
}

void append_line(std::string& out, const Event& event) {
  char digits[24];
  auto put_number = [&](std::uint64_t value) {
    const auto [end, error] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, end);
  };
  put_number(event.seq);
  out += '|';
  out += to_string(event.type);
  out += '|';
  put_number(event.from);
  out += '|';
  put_number(event.to);
  out += '\n';
}

}  // namespace likematch
