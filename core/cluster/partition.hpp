#pragma once

#include <algorithm>
#include <cstdint>

#include "core/engine/input/event.hpp"
#include "core/engine/memory/mix.hpp"

namespace likematch {

// The partition of an event: a hash of its unordered pair of users, so that both directions
// of a pair, and so every event a match depends on, meet in one partition (docs/scaling.md).
inline std::uint32_t partition_of(const Event& event, std::uint32_t partitions) {
  const std::uint64_t lo = std::min(event.from, event.to);
  const std::uint64_t hi = std::max(event.from, event.to);
  return static_cast<std::uint32_t>(mix_pair(lo, hi) % partitions);
}

}  // namespace likematch
