#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/input/event.hpp"
#include "core/enum_names.hpp"

namespace likematch {

enum class ShuffleKind { none, full, window };

// The kinds' names, in the order --shuffle's help and messages list them.
inline constexpr EnumNameTable<ShuffleKind, 3> k_shuffle_kind_names{{
    {"full", ShuffleKind::full},
    {"none", ShuffleKind::none},
    {"window", ShuffleKind::window},
}};

// How far events arrive from sequence order: not at all, uniformly anywhere, or each fewer
// than `window` positions away from its place (window:1 is in order; window:2 lets neighbours
// swap).
struct Shuffle {
  ShuffleKind kind = ShuffleKind::full;
  std::uint64_t window = 0;

  friend bool operator==(const Shuffle&, const Shuffle&) = default;
};

// "full", "none" or "window:K".
std::string to_string(const Shuffle& shuffle);

struct GeneratorOptions {
  std::uint64_t events = 1'000'000;
  std::uint64_t users = 9'000;
  std::uint64_t seed = 1;
  Shuffle shuffle;
  bool self_likes = false;
};

// Why options cannot make a stream; each command words it (and its advice) its own way.
enum class GeneratorProblem {
  no_users,  // users == 0
  one_user,  // one user and no self-likes: every event would be a self-like
};

// What stops the options from making a stream, or nullopt if nothing does.
std::optional<GeneratorProblem> check(const GeneratorOptions& options);

// Events 1..N as the harness makes them: FROM and TO uniform in 1..users (different unless
// self_likes), TYPE uniform over the three, in arrival order. The same options give the same
// events on every machine (own PRNG and bounded draws, no std::distributions).
std::vector<Event> generate_events(const GeneratorOptions& options);

// Appends "SEQ|TYPE|FROM|TO\n".
void append_line(std::string& out, const Event& event);

}  // namespace likematch
