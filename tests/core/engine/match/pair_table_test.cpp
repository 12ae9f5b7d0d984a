#include "core/engine/match/pair_table.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>

#include "core/harness/random.hpp"

using likematch::PairEntry;
using likematch::PairTable;

namespace {

using Pair = std::pair<std::uint64_t, std::uint64_t>;

struct Model {
  std::uint8_t flags = 0;
  std::uint64_t seqs[2] = {0, 0};
};

// A random unordered pair among `users` ids, lo <= hi.
Pair random_pair(likematch::Random& random, std::uint64_t users) {
  const std::uint64_t a = random.below(users);
  const std::uint64_t b = random.below(users);
  return {std::min(a, b), std::max(a, b)};
}

// Writes to the entry of `pair` what the matcher would, and the same to the model.
void record(PairTable& table, std::map<Pair, Model>& model, const Pair& pair, std::uint64_t seq) {
  PairEntry entry = table.find_or_insert(pair.first, pair.second);
  const int direction = static_cast<int>(seq % 2);
  const auto flag = static_cast<std::uint8_t>(1U << (seq % likematch::k_pair_flag_bits));
  entry.set(flag);
  entry.set_seq(direction, seq);
  Model& m = model[pair];
  m.flags |= flag;
  m.seqs[direction] = seq;
}

// Every pair of the model is found with its flags and sequence numbers, and a few others are
// absent.
void check_against(PairTable& table, const std::map<Pair, Model>& model, likematch::Random& random,
                   std::uint64_t users) {
  REQUIRE(table.size() == model.size());
  for (const auto& [pair, m] : model) {
    const PairEntry entry = table.find(pair.first, pair.second);
    REQUIRE(entry);
    REQUIRE(entry.flags() == m.flags);
    REQUIRE(entry.seq(0) == m.seqs[0]);
    REQUIRE(entry.seq(1) == m.seqs[1]);
  }
  for (int i = 0; i < 1000; ++i) {
    const Pair pair = random_pair(random, users);
    CHECK(static_cast<bool>(table.find(pair.first, pair.second)) == model.contains(pair));
  }
}

}  // namespace

TEST_CASE("keeps every pair and its state through many growths", "[pair_table]") {
  likematch::Random random(31);
  // Few users: dense clusters and wrap-around; many: sparse keys.
  for (const std::uint64_t users : {40, 700, 100'000}) {
    INFO("users " << users);
    PairTable table;
    std::map<Pair, Model> model;
    for (std::uint64_t seq = 1; seq <= 60'000; ++seq) {
      record(table, model, random_pair(random, users), seq);
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
    std::map<Pair, Model> model;
    const std::uint64_t inserts = 1 + random.below(6'000);
    for (std::uint64_t seq = 1; seq <= inserts; ++seq) {
      record(table, model, random_pair(random, users), seq);
      // Often: a later growth would repair a lost entry, since it puts back every slot.
      if (seq % 61 == 0) {
        check_against(table, model, random, users);
      }
    }
    check_against(table, model, random, users);
  }
}

TEST_CASE(
    "a new pair starts with no flags and no sequence numbers, also in slots emptied by "
    "growth",
    "[pair_table]") {
  PairTable table;
  for (std::uint64_t i = 0; i < 5'000; ++i) {
    PairEntry entry = table.find_or_insert(i, i + 1);
    CHECK(entry.flags() == 0);
    CHECK(entry.seq(0) == 0);
    CHECK(entry.seq(1) == 0);
    entry.set(0x3f);
    entry.set_seq(0, i + 1);
    entry.set_seq(1, i + 2);
  }
  CHECK(table.find(1, 2).seq(0) == 2);
  CHECK(table.find(1, 2).seq(1) == 3);
  CHECK_FALSE(table.find(1, 3));
}

TEST_CASE("a pair inserted with no flags yet is still found", "[pair_table]") {
  PairTable table;
  table.find_or_insert(0, 0);
  table.find_or_insert(3, 7);
  CHECK(table.size() == 2);
  CHECK(table.find(0, 0));
  CHECK(table.find(3, 7));
  CHECK_FALSE(table.find(0, 3));
}

TEST_CASE("clearing flags leaves the others and the pair", "[pair_table]") {
  PairTable table;
  PairEntry entry = table.find_or_insert(5, 9);
  entry.set(0x01 | 0x04 | 0x10);
  entry.clear(0x04);
  CHECK(table.find(5, 9).flags() == (0x01 | 0x10));
  entry.clear(0x3f);
  CHECK(table.find(5, 9));
}

TEST_CASE("pairs with ids of 28 bits and more", "[pair_table]") {
  PairTable table;
  const std::uint64_t edge = PairTable::k_first_wide_id;
  static_assert(PairTable::k_first_wide_id == (std::uint64_t{1} << 28) - 1);
  const std::uint64_t big = std::uint64_t{1} << 32;
  table.find_or_insert(edge - 1, edge - 1).set_seq(0, 1);  // the largest narrow pair
  table.find_or_insert(edge, edge).set_seq(0, 2);          // its key would read as empty
  table.find_or_insert(1, big).set_seq(0, 3);
  table.find_or_insert(1, UINT64_MAX).set_seq(1, 4);
  table.find_or_insert(0, edge).set(0x02);
  CHECK(table.size() == 5);
  CHECK(table.find(edge - 1, edge - 1).seq(0) == 1);
  CHECK(table.find(edge, edge).seq(0) == 2);
  CHECK(table.find(1, big).seq(0) == 3);
  CHECK(table.find(1, UINT64_MAX).seq(1) == 4);
  CHECK(table.find(0, edge).flags() == 0x02);
  CHECK_FALSE(table.find(big, big));
  CHECK_FALSE(table.find(0, 0));
  CHECK_FALSE(table.find(edge - 2, edge - 1));
}

TEST_CASE("a cleared table is empty, keeps its memory, and works like a new one", "[pair_table]") {
  likematch::Random random(53);
  for (int round = 0; round < 50; ++round) {
    INFO("round " << round);
    const std::uint64_t users = 2 + random.below(2'000);
    PairTable table;
    std::map<Pair, Model> first;
    const std::uint64_t inserts = random.below(20'000);
    for (std::uint64_t seq = 1; seq <= inserts; ++seq) {
      record(table, first, random_pair(random, users), seq);
    }
    if (random.below(2) == 0) {
      table.find_or_insert(1, UINT64_MAX).set(0x3f);  // a wide pair too
    }
    const std::size_t memory = table.memory_bytes();
    table.clear();
    CHECK(table.size() == 0);
    CHECK(table.memory_bytes() == memory);
    CHECK_FALSE(table.find(1, UINT64_MAX));
    for (const auto& [pair, m] : first) {
      REQUIRE_FALSE(table.find(pair.first, pair.second));
    }
    // Every pair of the old stream that comes again starts from nothing.
    std::map<Pair, Model> second;
    for (const auto& [pair, m] : first) {
      const PairEntry entry = table.find_or_insert(pair.first, pair.second);
      REQUIRE(entry.flags() == 0);
      REQUIRE(entry.seq(0) == 0);
      REQUIRE(entry.seq(1) == 0);
      second[pair];
      if (second.size() == 500) {
        break;
      }
    }
    for (std::uint64_t seq = 1; seq <= inserts; ++seq) {
      record(table, second, random_pair(random, users), seq);
    }
    check_against(table, second, random, users);
  }
}

TEST_CASE("clearing a new table changes nothing", "[pair_table]") {
  PairTable table;
  const std::size_t memory = table.memory_bytes();
  table.clear();
  CHECK(table.size() == 0);
  CHECK(table.memory_bytes() == memory);
  CHECK(table.find_or_insert(3, 4).flags() == 0);
}
