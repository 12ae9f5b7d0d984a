#include "core/cluster/decided_merge.hpp"

#include <catch2/catch.hpp>

#include <vector>

namespace likematch {
namespace {

using Numbers = std::vector<std::uint64_t>;

DecidedBatch decided(std::uint32_t partition, std::uint64_t up_to, Numbers matches,
                     SessionKey key = {1, 1}) {
  return DecidedBatch{key, partition, up_to, std::move(matches)};
}

TEST_CASE("numbers leave only up to the lowest partition's decided watermark", "[cluster][merge]") {
  DecidedMerge merge(2);
  merge.begin({1, 1});
  CHECK(merge.take(decided(0, 10, {4, 9})).empty());  // partition 1 may still have a smaller one
  CHECK(merge.take(decided(1, 6, {5})) == Numbers{4, 5});
  CHECK(merge.take(decided(1, 12, {11})) == Numbers{9});
  CHECK(merge.lowest() == 10);
}

TEST_CASE("a partition's batch again (a restarted worker) changes nothing", "[cluster][merge]") {
  DecidedMerge merge(1);
  merge.begin({1, 1});
  CHECK(merge.take(decided(0, 10, {4, 9})) == Numbers{4, 9});
  CHECK(merge.take(decided(0, 10, {4, 9})).empty());
  CHECK(merge.take(decided(0, 8, {4})).empty());
}

TEST_CASE("another session's batches are ignored", "[cluster][merge]") {
  DecidedMerge merge(1);
  merge.begin({1, 2});
  CHECK(merge.take(decided(0, 10, {4}, {1, 1})).empty());
  CHECK(merge.take(decided(0, 10, {4}, {2, 2})).empty());
  CHECK(merge.lowest() == 0);
}

TEST_CASE("the list is complete once the input ended and every partition decided all of it",
          "[cluster][merge]") {
  DecidedMerge merge(2);
  merge.begin({1, 1});
  merge.take(decided(0, 20, {}));
  merge.take(decided(1, 20, {}));
  CHECK_FALSE(merge.complete());  // more may come
  merge.input_ended(30);
  CHECK_FALSE(merge.complete());
  merge.take(decided(0, 30, {}));
  CHECK_FALSE(merge.complete());
  merge.take(decided(1, 30, {}));
  CHECK(merge.complete());
}

TEST_CASE("a session without events is complete at its end", "[cluster][merge]") {
  DecidedMerge merge(3);
  merge.begin({1, 1});
  merge.input_ended(0);
  CHECK(merge.complete());
}

}  // namespace
}  // namespace likematch
