#pragma once

#include <cstddef>
#include <cstdint>

namespace likematch {

// What one stream did, for summaries and tests.
struct Stats {
  std::uint64_t lines = 0;
  std::uint64_t events = 0;  // valid events accepted into the reorder buffer
  std::uint64_t decided = 0;
  std::uint64_t matches = 0;
  std::uint64_t malformed = 0;  // including oversized lines
  std::uint64_t oversized = 0;
  std::uint64_t duplicates = 0;  // identical and conflicting
  std::uint64_t conflicting = 0;
  std::uint64_t late = 0;
  std::uint64_t misplaced_control = 0;  // EVENT BEGIN twice or late, EVENT END too early
  std::uint64_t after_end = 0;          // lines after EVENT END or the buffer limit
  std::uint64_t gaps = 0;        // sequence numbers that never arrived (known at end of input)
  std::size_t max_buffered = 0;  // the most events that waited at once for an earlier one
  bool cut = false;              // ended early by the buffer limit

  friend bool operator==(const Stats&, const Stats&) = default;
};

}  // namespace likematch
