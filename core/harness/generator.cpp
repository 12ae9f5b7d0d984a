#include "core/harness/generator.hpp"

#include <fmt/format.h>

#include <range/v3/algorithm/sort.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <tuple>
#include <utility>

#include "core/harness/random.hpp"

namespace likematch {

std::string to_string(const Shuffle& shuffle) {
  const std::string_view kind = name_of(k_shuffle_kind_names, shuffle.kind);
  if (shuffle.kind == ShuffleKind::window) {
    return fmt::format("{}:{}", kind, shuffle.window);
  }
  return std::string(kind);
}

std::optional<GeneratorProblem> check(const GeneratorOptions& options) {
  if (options.users == 0) {
    return GeneratorProblem::no_users;
  }
  if (options.users == 1 && !options.self_likes && options.events != 0) {
    return GeneratorProblem::one_user;
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
      // Each event draws a key in [i, i + window) and events are sorted by key, ties broken
      // by a random draw: an event then lands fewer than `window` places from its own, and
      // exactly window - 1 places is possible (ties broken by position would allow only
      // window - 2, and window:2 would move nothing). A window past the stream's length moves
      // events no further than the length itself.
      const std::uint64_t window = std::min(options.shuffle.window, options.events);
      struct Keyed {
        std::uint64_t key;
        std::uint64_t tie;
        std::uint64_t index;
      };
      std::vector<Keyed> keyed(options.events);
      for (std::uint64_t i = 0; i < options.events; ++i) {
        keyed[i] = {i + random.below(window), random.next(), i};
      }
      ranges::sort(keyed, std::less{},
                   [](const Keyed& k) { return std::tie(k.key, k.tie, k.index); });
      events = keyed |
               ranges::views::transform([&events](const Keyed& k) { return events[k.index]; }) |
               ranges::to<std::vector>();
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
