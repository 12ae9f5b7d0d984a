#pragma once

#include <cstdint>

namespace likematch {

// SplitMix64's finaliser: every input bit moves every output bit. User ids are small
// consecutive integers, whose raw bits would pile up in a few buckets of any table indexed
// by them. The generator's seeding (harness/random) steps SplitMix64 with it too.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// One well-mixed word for an ordered pair of ids.
constexpr std::uint64_t mix_pair(std::uint64_t first, std::uint64_t second) {
  return mix64(first * 0x9E3779B97F4A7C15ULL ^ (second + 0x632BE59BD9B4E019ULL));
}

// A cheaper one, for a question asked for every event of the ordered pass: two multiplies,
// where mix_pair's chain of three cost about 2 ns per event. Multiply-shift: a product's high
// bits are the mixed ones, so bits 24-63 are returned, in the low bits where filters take
// theirs (the filter of hot pairs takes bits 24-43, which depend on both ids).
constexpr std::uint64_t quick_pair_hash(std::uint64_t first, std::uint64_t second) {
  return ((first * 0x9E3779B97F4A7C15ULL ^ second) * 0xBF58476D1CE4E5B9ULL) >> 24;
}

}  // namespace likematch
