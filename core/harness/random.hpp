#pragma once

#include <cstdint>

namespace likematch {

// xoshiro256** seeded through SplitMix64: small, fast, and the same sequence everywhere,
// which std::uniform_int_distribution does not promise.
class Random {
 public:
  explicit Random(std::uint64_t seed);

  std::uint64_t next();
  // Uniform in [0, bound), bound >= 1, without modulo bias (Lemire's method).
  std::uint64_t below(std::uint64_t bound);

 private:
  std::uint64_t m_state[4];
};

}  // namespace likematch
