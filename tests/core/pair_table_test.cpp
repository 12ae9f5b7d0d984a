#include "core/pair_table.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <utility>

#include "core/random.hpp"

using likematch::PairState;
using likematch::PairTable;

namespace {

using Pair = std::pair<std::uint64_t, std::uint64_t>;

// Every pair of the model is found with its state, and a few others are absent.
void check_against(PairTable& table, const std::map<Pair, std::uint64_t>& model,
                   likematch::Random& random, std::uint64_t users) {
  REQUIRE(table.size() == model.size());
  for (const auto& [pair, seq] : model) {
    const PairState* state = table.find(pair.first, pair.second);
    REQUIRE(state != nullptr);
    REQUIRE(state->last_like_seq == seq);
    REQUIRE(state->latest_liked == (seq % 2 == 0));
  }
  for (int i = 0; i < 1000; ++i) {
    const Pair pair{random.below(users), random.below(users)};
    CHECK((table.find(pair.first, pair.second) != nullptr) == model.contains(pair));
  }
}

}  // namespace

TEST_CASE("keeps every pair and its state through many growths", "[pair_table]") {
  likematch::Random random(31);
  // Few users: dense clusters and wrap-around; many: sparse keys.
  for (const std::uint64_t users : {40, 700, 100'000}) {
    INFO("users " << users);
    PairTable table;
    std::map<Pair, std::uint64_t> model;
    for (std::uint64_t seq = 1; seq <= 60'000; ++seq) {
      const Pair pair{random.below(users), random.below(users)};
      PairState& state = table.find_or_insert(pair.first, pair.second);
      state.last_like_seq = seq;
      state.latest_liked = seq % 2 == 0;
      model[pair] = seq;
      if ((seq & (seq - 1)) == 0) {  // at powers of two: around every growth
        check_against(table, model, random, users);
      }
    }
    check_against(table, model, random, users);
  }
}

TEST_CASE("keeps every pair through growth, over many small tables", "[pair_table]") {
  // Growth puts entries back in place, cluster by cluster: many small tables, many shapes.
  likematch::Random random(47);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    const std::uint64_t users = 2 + random.below(300);
    PairTable table;
    std::map<Pair, std::uint64_t> model;
    const std::uint64_t inserts = 1 + random.below(6'000);
    for (std::uint64_t seq = 1; seq <= inserts; ++seq) {
      const Pair pair{random.below(users), random.below(users)};
      PairState& state = table.find_or_insert(pair.first, pair.second);
      state.last_like_seq = seq;
      state.latest_liked = seq % 2 == 0;
      model[pair] = seq;
      // Often: a later growth would repair a lost entry, since it puts back every slot.
      if (seq % 61 == 0) {
        check_against(table, model, random, users);
      }
    }
    check_against(table, model, random, users);
  }
}

TEST_CASE("a new pair starts with a default state, also in slots emptied by growth",
          "[pair_table]") {
  PairTable table;
  for (std::uint64_t i = 0; i < 5'000; ++i) {
    PairState& state = table.find_or_insert(i, i + 1);
    CHECK(state.last_like_seq == 0);
    CHECK_FALSE(state.latest_liked);
    CHECK_FALSE(state.matched_ever);
    state = PairState{i + 1, true, true, true};
  }
  CHECK(table.find(1, 2)->last_like_seq == 2);
  CHECK(table.find(2, 1) == nullptr);
}

TEST_CASE("pairs with ids of 32 bits and more", "[pair_table]") {
  PairTable table;
  const std::uint64_t big = std::uint64_t{1} << 32;
  table.find_or_insert(big - 1, big - 1).last_like_seq = 1;  // the one narrow id pair kept wide
  table.find_or_insert(big, 1).last_like_seq = 2;
  table.find_or_insert(1, UINT64_MAX).last_like_seq = 3;
  table.find_or_insert(big - 1, big - 2).last_like_seq = 4;
  CHECK(table.size() == 4);
  CHECK(table.find(big - 1, big - 1)->last_like_seq == 1);
  CHECK(table.find(big, 1)->last_like_seq == 2);
  CHECK(table.find(1, UINT64_MAX)->last_like_seq == 3);
  CHECK(table.find(big - 1, big - 2)->last_like_seq == 4);
  CHECK(table.find(1, big) == nullptr);
  CHECK(table.find(0, 0) == nullptr);
}
