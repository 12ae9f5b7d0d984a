#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/event.hpp"

namespace likematch {

enum class ShuffleKind { none, full, window };

// How far events arrive from sequence order: not at all, uniformly anywhere, or each at most
// `window` positions away from its place.
struct Shuffle {
  ShuffleKind kind = ShuffleKind::full;
  std::uint64_t window = 0;

  friend bool operator==(const Shuffle&, const Shuffle&) = default;
};

// "full", "none" or "window:K" (K >= 1).
std::optional<Shuffle> parse_shuffle(std::string_view text);
std::string to_string(const Shuffle& shuffle);

struct GeneratorOptions {
  std::uint64_t events = 1'000'000;
  std::uint64_t users = 9'000;
  std::uint64_t seed = 1;
  Shuffle shuffle;
  bool self_likes = false;
};

// Why the options cannot make a stream, or nullopt if they can.
std::optional<std::string> check(const GeneratorOptions& options);

// Events 1..N as the harness makes them: FROM and TO uniform in 1..users (different unless
// self_likes), TYPE uniform over the three, in arrival order. The same options give the same
// events on every machine (own PRNG and bounded draws, no std::distributions).
std::vector<Event> generate_events(const GeneratorOptions& options);

// Appends "SEQ|TYPE|FROM|TO\n".
void append_line(std::string& out, const Event& event);

}  // namespace likematch
