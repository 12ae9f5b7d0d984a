#include "core/harness/random.hpp"

#include "core/engine/memory/mix.hpp"

namespace likematch {

namespace {

// 64x64 -> 128-bit products; __extension__ keeps -Wpedantic quiet about the GNU type.
__extension__ using Wide = unsigned __int128;

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

// SplitMix64: a Weyl sequence through the mixer.
std::uint64_t splitmix64(std::uint64_t& x) {
  return mix64(x += 0x9e3779b97f4a7c15ULL);
}

}  // namespace

Random::Random(std::uint64_t seed) {
  for (std::uint64_t& word : m_state) {
    word = splitmix64(seed);
  }
}

std::uint64_t Random::next() {
  const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
  const std::uint64_t t = m_state[1] << 17;
  m_state[2] ^= m_state[0];
  m_state[3] ^= m_state[1];
  m_state[1] ^= m_state[2];
  m_state[0] ^= m_state[3];
  m_state[2] ^= t;
  m_state[3] = rotl(m_state[3], 45);
  return result;
}

std::uint64_t Random::below(std::uint64_t bound) {
  Wide product = static_cast<Wide>(next()) * bound;
  auto low = static_cast<std::uint64_t>(product);
  if (low < bound) {
    const std::uint64_t threshold = -bound % bound;
    while (low < threshold) {
      product = static_cast<Wide>(next()) * bound;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

}  // namespace likematch
