#include "core/engine/match/match_rules.hpp"

namespace likematch {

namespace {

// variant_index is the one mapping between rules and bits: it must agree with the table.
constexpr bool indexes_agree() {
  for (std::size_t i = 0; i < k_rule_variants.size(); ++i) {
    if (variant_index(k_rule_variants[i]) != i) {
      return false;
    }
  }
  return true;
}
static_assert(indexes_agree());
static_assert(under_every_self_like_rule(variant_bit({Rule::latest, true})) ==
              (variant_bit({Rule::latest, true, SelfLikeRule::literal}) |
               variant_bit({Rule::latest, true, SelfLikeRule::match}) |
               variant_bit({Rule::latest, true, SelfLikeRule::ignore})));

}  // namespace

std::array<std::uint8_t, PairRuleState::k_bytes> PairRuleState::to_bytes() const {
  std::array<std::uint8_t, k_bytes> bytes{};
  bytes[0] = flag_bits;
  for (int direction = 0; direction < 2; ++direction) {
    for (int i = 0; i < 8; ++i) {
      bytes[1 + 8 * direction + i] = static_cast<std::uint8_t>(like_seqs[direction] >> (8 * i));
    }
  }
  return bytes;
}

PairRuleState PairRuleState::from_bytes(const std::array<std::uint8_t, k_bytes>& bytes) {
  PairRuleState state;
  state.flag_bits = bytes[0];
  for (int direction = 0; direction < 2; ++direction) {
    for (int i = 0; i < 8; ++i) {
      state.like_seqs[direction] |= std::uint64_t{bytes[1 + 8 * direction + i]} << (8 * i);
    }
  }
  return state;
}

}  // namespace likematch
