#include "core/cluster/partition_decider.hpp"

#include <catch2/catch.hpp>

#include <vector>

namespace likematch {
namespace {

using Numbers = std::vector<std::uint64_t>;

EventBatch batch(std::uint64_t number, std::uint64_t watermark, std::vector<Event> events,
                 SessionKey key = {1, 1}) {
  EventBatch out;
  out.key = key;
  out.partitions = 1;
  out.number = number;
  out.watermark = watermark;
  out.events = std::move(events);
  return out;
}

const Event like_2_from_100{2, LikeType::liked, 100, 200};
const Event like_4_from_200{4, LikeType::liked, 200, 100};

TEST_CASE("events wait for the watermark, then are decided in sequence order",
          "[cluster][decider]") {
  PartitionDecider decider;
  auto first = decider.apply(1, batch(1, 1, {like_4_from_200}));
  REQUIRE(first);
  REQUIRE(first->decided);
  CHECK(first->decided->matches.empty());
  CHECK(decider.waiting() == 1);
  auto second = decider.apply(2, batch(2, 4, {like_2_from_100}));
  REQUIRE(second);
  REQUIRE(second->decided);
  CHECK(second->decided->decided_up_to == 4);
  CHECK(second->decided->matches == Numbers{4});
  CHECK(decider.waiting() == 0);
}

TEST_CASE("a message delivered again is applied once", "[cluster][decider]") {
  PartitionDecider decider;
  REQUIRE(decider.apply(1, batch(1, 0, {like_2_from_100})));
  CHECK_FALSE(decider.apply(1, batch(1, 0, {like_2_from_100})));
  const auto applied = decider.apply(2, batch(2, 4, {like_4_from_200}));
  REQUIRE(applied);
  CHECK(applied->decided->matches == Numbers{4});
}

TEST_CASE("a batch published twice is applied once", "[cluster][decider]") {
  PartitionDecider decider;
  REQUIRE(decider.apply(1, batch(1, 0, {like_2_from_100, like_4_from_200})));
  const auto again = decider.apply(2, batch(1, 0, {like_2_from_100, like_4_from_200}));
  REQUIRE(again);
  CHECK_FALSE(again->decided);
  CHECK(decider.applied_sequence() == 2);
  CHECK(decider.waiting() == 2);
}

// serve's client publishes without waiting; a failed publish is published again with every
// later batch of its partition, so the stream may hold 2, then 1 and 2 again.
TEST_CASE("a batch ahead of an earlier one is taken only in its turn", "[cluster][decider]") {
  PartitionDecider decider;
  REQUIRE(decider.apply(1, batch(1, 0, {})));
  const auto ahead = decider.apply(2, batch(3, 4, {like_4_from_200}));
  REQUIRE(ahead);
  CHECK_FALSE(ahead->decided);  // its watermark covers batch 2's event, not here yet
  CHECK(decider.waiting() == 0);
  const auto missing = decider.apply(3, batch(2, 0, {like_2_from_100}));
  REQUIRE(missing);
  CHECK(decider.waiting() == 1);
  const auto again = decider.apply(4, batch(3, 4, {like_4_from_200}));
  REQUIRE(again);
  REQUIRE(again->decided);
  CHECK(again->decided->decided_up_to == 4);
  CHECK(again->decided->matches == Numbers{4});
}

TEST_CASE("a decider restored from its store goes on where it committed", "[cluster][decider]") {
  StoreContents store;
  PartitionDecider decider;
  auto applied = decider.apply(1, batch(1, 2, {like_2_from_100}));
  apply_write(store, applied->write);

  PartitionDecider restored;
  restored.restore(store);
  CHECK(restored.applied_sequence() == 1);
  CHECK(restored.decided_up_to() == 2);
  // Its pair state was rebuilt from the decided event: the answer matches.
  const auto next = restored.apply(2, batch(2, 4, {like_4_from_200}));
  REQUIRE(next);
  CHECK(next->decided->matches == Numbers{4});
}

TEST_CASE("a new session starts from an empty state", "[cluster][decider]") {
  StoreContents store;
  PartitionDecider decider;
  apply_write(store, decider.apply(1, batch(1, 2, {like_2_from_100}))->write);
  const auto applied =
      decider.apply(2, batch(1, 4, {Event{4, LikeType::liked, 200, 100}}, SessionKey{1, 2}));
  REQUIRE(applied);
  CHECK(applied->decided->matches.empty());  // the like of session 1 is forgotten
  apply_write(store, applied->write);
  PartitionDecider restored;
  restored.restore(store);
  CHECK(restored.key() == SessionKey{1, 2});
  CHECK(store.size() == 2);  // the meta and the rule state of session 2's one pair
}

}  // namespace
}  // namespace likematch
