#include "core/engine/match/pair_filter.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <utility>

#include "core/harness/random.hpp"

// The matcher's filter: 4M bits, one probe.
using PairFilter = likematch::PairFilter<22, 1>;

TEST_CASE("a pair filter never forgets an inserted pair and rarely imagines one", "[pair_filter]") {
  likematch::Random random(99);
  PairFilter filter;
  std::set<std::pair<std::uint64_t, std::uint64_t>> inserted;
  for (int i = 0; i < 100'000; ++i) {
    const std::uint64_t lo = random.below(20'000);
    const std::uint64_t hi = lo + random.below(20'000);
    filter.insert(lo, hi);
    inserted.emplace(lo, hi);
  }
  for (const auto& [lo, hi] : inserted) {
    REQUIRE(filter.may_contain(lo, hi));
  }
  // 100k pairs in 4M bits: about 2.4% of the others read as "maybe".
  int imagined = 0;
  int asked = 0;
  for (std::uint64_t lo = 0; lo < 400; ++lo) {
    for (std::uint64_t hi = lo; hi < lo + 400; ++hi) {
      if (!inserted.contains({lo, hi})) {
        ++asked;
        imagined += filter.may_contain(lo, hi) ? 1 : 0;
      }
    }
  }
  CHECK(imagined < asked / 20);
}

TEST_CASE("a cleared pair filter holds nothing", "[pair_filter]") {
  PairFilter filter;
  filter.insert(3, 4);
  REQUIRE(filter.may_contain(3, 4));
  filter.clear();
  CHECK_FALSE(filter.may_contain(3, 4));
}

TEST_CASE("a filter with two probes keeps directed pairs apart", "[pair_filter]") {
  // The rule comparison's filter: 16M bits, two probes, (from, to) in that order.
  likematch::PairFilter<24, 2> filter;
  filter.insert(1, 2);
  CHECK(filter.may_contain(1, 2));
  CHECK_FALSE(filter.may_contain(2, 1));
}
