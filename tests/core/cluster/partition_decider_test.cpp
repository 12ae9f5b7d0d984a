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
  const StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
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
  const StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
  REQUIRE(decider.apply(1, batch(1, 0, {like_2_from_100})));
  CHECK_FALSE(decider.apply(1, batch(1, 0, {like_2_from_100})));
  const auto applied = decider.apply(2, batch(2, 4, {like_4_from_200}));
  REQUIRE(applied);
  CHECK(applied->decided->matches == Numbers{4});
}

TEST_CASE("a batch published twice is applied once", "[cluster][decider]") {
  const StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
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
  const StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
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
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
  auto applied = decider.apply(1, batch(1, 2, {like_2_from_100}));
  apply_write(store, applied->write);

  PartitionDecider restored(reader);
  REQUIRE_FALSE(restored.restore());
  CHECK(restored.applied_sequence() == 1);
  CHECK(restored.decided_up_to() == 2);
  // Its pair state was rebuilt from the decided event: the answer matches.
  const auto next = restored.apply(2, batch(2, 4, {like_4_from_200}));
  REQUIRE(next);
  CHECK(next->decided->matches == Numbers{4});
}

TEST_CASE("a new session starts from an empty state", "[cluster][decider]") {
  StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader);
  apply_write(store, decider.apply(1, batch(1, 2, {like_2_from_100}))->write);
  const auto applied =
      decider.apply(2, batch(1, 4, {Event{4, LikeType::liked, 200, 100}}, SessionKey{1, 2}));
  REQUIRE(applied);
  CHECK(applied->decided->matches.empty());  // the like of session 1 is forgotten
  apply_write(store, applied->write);
  PartitionDecider restored(reader);
  REQUIRE_FALSE(restored.restore());
  CHECK(restored.key() == SessionKey{1, 2});
  CHECK(store.size() == 2);  // the meta and the rule state of session 2's one pair
}

TEST_CASE("a memory budget of bytes is split between pairs and waiting events",
          "[cluster][decider]") {
  CHECK(DeciderMemory::from_budget(0).pairs == 0);  // no bound
  CHECK(DeciderMemory::from_budget(0).waiting == 0);
  const DeciderMemory memory = DeciderMemory::from_budget(64 << 20);
  CHECK(memory.pairs * PairCache::k_bytes_per_pair +
            memory.waiting * DeciderMemory::k_bytes_per_waiting +
            memory.step * DeciderMemory::k_bytes_per_step_event <=
        64 << 20);
  CHECK(memory.pairs > memory.waiting);
  CHECK(DeciderMemory::from_budget(1).pairs == 1);  // the least that works
  CHECK(DeciderMemory::from_budget(1).waiting == 1);
  CHECK(DeciderMemory::from_budget(1).step == 1);
}

// 100 pairs, each liked twice one way (numbers 1-200), then twice the other (201-400), the
// watermark lagging 25 behind the events: a decider that may hold 3 pairs and 4 waiting
// events must hold no more, and decide exactly as one that holds everything.
TEST_CASE("a decider over a small memory holds no more than it may, and decides the same",
          "[cluster][decider]") {
  std::vector<Event> events;
  for (std::uint64_t seq = 1; seq <= 400; ++seq) {
    const std::uint64_t user = (seq - 1) % 100 + 1;
    const bool back = seq > 200;
    events.push_back(
        Event{seq, LikeType::liked, back ? 1000 + user : user, back ? user : 1000 + user});
  }
  // Reversed within windows of 30, so that events wait.
  for (std::size_t at = 0; at + 30 <= events.size(); at += 30) {
    std::reverse(events.begin() + static_cast<std::ptrdiff_t>(at),
                 events.begin() + static_cast<std::ptrdiff_t>(at + 30));
  }
  // Each message applied (in as many steps as it takes) and committed; the matches, and how
  // many steps were more than a message's one.
  const auto decide_all = [&](DeciderMemory memory, std::size_t& steps) {
    StoreContents store;
    const ContentsReader reader(store);
    PartitionDecider decider(reader, memory);
    Numbers matches;
    std::uint64_t decided = 0;
    const auto apply = [&](std::uint64_t number, std::uint64_t watermark,
                           std::vector<Event> piece) {
      for (bool more = true; more;) {
        const auto applied = decider.apply(number, batch(number, watermark, piece));
        REQUIRE(applied);
        REQUIRE_FALSE(applied->failed);
        apply_write(store, applied->write);
        if (applied->decided) {
          // Each step says how far it decided, further each time, up to the watermark.
          CHECK(applied->decided->decided_up_to > decided);
          CHECK(applied->decided->decided_up_to <= watermark);
          decided = applied->decided->decided_up_to;
          matches.insert(matches.end(), applied->decided->matches.begin(),
                         applied->decided->matches.end());
        }
        if (memory.pairs != 0) {
          CHECK(decider.pairs_held() <= memory.pairs);
          CHECK(decider.waiting_held() <= memory.waiting);
        }
        more = applied->more;
        steps += more ? 1 : 0;
      }
    };
    std::uint64_t number = 0;
    for (std::size_t at = 0; at < events.size(); at += 5) {
      ++number;
      apply(number, at < 25 ? 0 : at - 25,
            std::vector<Event>(events.begin() + static_cast<std::ptrdiff_t>(at),
                               events.begin() + static_cast<std::ptrdiff_t>(at + 5)));
    }
    apply(number + 1, 400, {});
    CHECK(decided == 400);
    CHECK(decider.waiting() == 0);
    return matches;
  };
  std::size_t steps = 0;
  const Numbers everything = decide_all(DeciderMemory{}, steps);
  CHECK(everything.size() >= 100);
  CHECK(steps == 0);
  CHECK(decide_all(DeciderMemory{3, 4, 0}, steps) == everything);
  CHECK(steps == 0);
  // At most 4 events decided per step: the last message's 30 waiting ones take 8 steps.
  CHECK(decide_all(DeciderMemory{3, 4, 4}, steps) == everything);
  CHECK(steps >= 7);
}

// A restarted decider holds only what memory allows of the store's waiting events, and
// reads the others back in order when the watermark passes them.
TEST_CASE("a restarted decider over a small memory reads its waiting events back in order",
          "[cluster][decider]") {
  StoreContents store;
  const ContentsReader reader(store);
  PartitionDecider decider(reader, DeciderMemory{1, 2});
  std::vector<Event> events;
  for (std::uint64_t seq = 2; seq <= 20; seq += 2) {  // 2, 4, ... 20: likes from 100 to 200
    events.push_back(Event{seq, LikeType::liked, 100, 200});
  }
  const auto first = decider.apply(1, batch(1, 0, events));
  REQUIRE(first);
  apply_write(store, first->write);
  CHECK(decider.waiting() == 10);
  CHECK(decider.waiting_held() == 2);

  PartitionDecider restored(reader, DeciderMemory{1, 2});
  REQUIRE_FALSE(restored.restore());
  CHECK(restored.waiting() == 10);
  CHECK(restored.waiting_held() == 2);
  // The answer at 21 comes after every waiting like: 21 is a match under the default rule.
  const auto second = restored.apply(2, batch(2, 21, {Event{21, LikeType::liked, 200, 100}}));
  REQUIRE(second);
  REQUIRE(second->decided);
  CHECK(second->decided->matches == Numbers{21});
  CHECK(restored.waiting() == 0);
  apply_write(store, second->write);
  CHECK(store.size() == 2);  // the meta and the pair's state: no waiting event is left
}

}  // namespace
}  // namespace likematch
