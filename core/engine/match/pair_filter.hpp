#pragma once

#include <cstddef>
#include <cstdint>

#include "core/engine/memory/mix.hpp"
#include "core/engine/memory/zeroed_array.hpp"

namespace likematch {

// A Bloom filter of pairs of user ids: "maybe inserted" or "certainly not", in 2^BitsLog2
// bits with `Probes` bits per pair, all taken from one mix of the pair.
//
// The matcher keeps one of the unordered pairs ever liked (512 KiB, one probe): under rule
// `latest` a non-like withdraws nothing from a pair that was never liked, and most non-likes
// are such, so a check that stays in cache spares them a probe of the pair table (1M events
// with rule latest: 75 -> 69 ms; with 333k liked pairs about 8% of absent pairs read as
// "maybe", and just probe the table). The rule comparison keeps one of the directed pairs
// ever liked (2 MiB, two probes) to keep a withdrawal only where a like came first.
template <int BitsLog2, int Probes, std::uint64_t (*Hash)(std::uint64_t, std::uint64_t) = mix_pair>
class PairFilter {
  static_assert(Probes >= 1 && Probes * BitsLog2 <= 64);

 public:
  PairFilter() : m_words(k_words) {}

  // Forgets every pair, keeping the memory.
  void clear() { m_words.zero(); }

  void insert(std::uint64_t first, std::uint64_t second) {
    std::uint64_t hash = Hash(first, second);
    for (int i = 0; i < Probes; ++i, hash >>= BitsLog2) {
      const std::uint64_t bit = hash & k_mask;
      m_words[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
  }
  bool may_contain(std::uint64_t first, std::uint64_t second) const {
    std::uint64_t hash = Hash(first, second);
    for (int i = 0; i < Probes; ++i, hash >>= BitsLog2) {
      const std::uint64_t bit = hash & k_mask;
      if (((m_words[bit >> 6] >> (bit & 63)) & 1) == 0) {
        return false;
      }
    }
    return true;
  }

 private:
  static constexpr std::uint64_t k_mask = (std::uint64_t{1} << BitsLog2) - 1;
  static constexpr std::size_t k_words = (std::size_t{1} << BitsLog2) / 64;

  // Zero pages from the system: a filter that is never used costs no memory.
  ZeroedArray<std::uint64_t> m_words;
};

}  // namespace likematch
