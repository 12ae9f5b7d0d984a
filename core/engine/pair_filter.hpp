#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace likematch {

// A one-hash Bloom filter of unordered pairs of user ids: "maybe inserted" or "certainly
// not". For rule `latest`: a non-like withdraws nothing from a pair that was never liked,
// and most non-likes are such, so a check in 512 KiB that stay in cache spares them a probe
// of the pair table (1M events with rule latest: 75 -> 69 ms). With 333k liked pairs about
// 8% of absent pairs read as "maybe"; those just probe the table.
class PairFilter {
 public:
  // Empty: holds nothing and must not be asked until reset(true).
  PairFilter() = default;

  // Forgets every pair; `on` allocates the bits (once), off gives them back.
  void reset(bool on) {
    if (!on) {
      m_bits = {};
    } else if (m_bits.empty()) {
      m_bits.assign(k_words, 0);
    } else {
      std::fill(m_bits.begin(), m_bits.end(), 0);
    }
  }

  void insert(std::uint64_t lo, std::uint64_t hi) {
    const std::uint64_t bit = bit_of(lo, hi);
    m_bits[bit >> 6] |= std::uint64_t{1} << (bit & 63);
  }
  bool may_contain(std::uint64_t lo, std::uint64_t hi) const {
    const std::uint64_t bit = bit_of(lo, hi);
    return ((m_bits[bit >> 6] >> (bit & 63)) & 1) != 0;
  }

 private:
  static constexpr int k_bits_log2 = 22;
  static constexpr std::size_t k_words = (std::size_t{1} << k_bits_log2) / 64;

  // Multiplicative hashing, top bits: ids are small consecutive integers, which the odd
  // multipliers spread over the whole word.
  static std::uint64_t bit_of(std::uint64_t lo, std::uint64_t hi) {
    return (lo * 0x9E3779B97F4A7C15ULL ^ (hi + 1) * 0xC2B2AE3D27D4EB4FULL) >> (64 - k_bits_log2);
  }

  std::vector<std::uint64_t> m_bits;
};

}  // namespace likematch
