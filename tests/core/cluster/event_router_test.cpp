#include "core/cluster/event_router.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "core/cluster/partition.hpp"

namespace likematch {
namespace {

// An event of partition `partition` of `partitions`, numbered `seq`.
Event event_in(std::uint32_t partition, std::uint32_t partitions, std::uint64_t seq) {
  for (std::uint64_t user = 1;; ++user) {
    const Event event{seq, LikeType::liked, user, user + 1000};
    if (partition_of(event, partitions) == partition) {
      return event;
    }
  }
}

TEST_CASE("both directions of a pair are in one partition", "[cluster][router]") {
  for (std::uint64_t a = 1; a < 200; ++a) {
    const Event there{1, LikeType::liked, a, a * 7 + 3};
    const Event back{2, LikeType::liked, a * 7 + 3, a};
    CHECK(partition_of(there, 8) == partition_of(back, 8));
  }
}

TEST_CASE("a partition's last batch carries the watermark, earlier pieces the previous one",
          "[cluster][router]") {
  EventRouter router(2, 2);
  router.begin({1, 1}, {});
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    router.add(event_in(0, 2, seq));
  }
  const std::vector<EventBatch> batches = router.flush(5);
  REQUIRE(batches.size() == 4);  // partition 0: 2 + 2 + 1 events; partition 1: none
  CHECK(batches[0].events.size() == 2);
  CHECK(batches[0].watermark == 0);
  CHECK(batches[1].watermark == 0);
  CHECK(batches[2].events.size() == 1);
  CHECK(batches[2].watermark == 5);
  CHECK(batches[2].number == 3);
  CHECK(batches[3].partition == 1);
  CHECK(batches[3].events.empty());
  CHECK(batches[3].watermark == 5);
  CHECK(batches[3].number == 1);
}

TEST_CASE("nothing is published when nothing was added and the watermark stands",
          "[cluster][router]") {
  EventRouter router(3, 10);
  router.begin({1, 1}, {});
  router.add(event_in(1, 3, 2));
  CHECK(router.flush(0).size() == 3);  // the event; the watermark has not moved
  CHECK(router.flush(0).empty());
  CHECK(router.flush(1).size() == 3);
}

TEST_CASE("a new session numbers its batches from 1 again", "[cluster][router]") {
  EventRouter router(1, 10);
  router.begin({1, 1}, {});
  router.add(event_in(0, 1, 1));
  CHECK(router.flush(1).front().number == 1);
  router.add(event_in(0, 1, 2));
  CHECK(router.flush(2).front().number == 2);
  router.begin({1, 2}, {});
  router.add(event_in(0, 1, 1));
  const EventBatch batch = router.flush(1).front();
  CHECK(batch.number == 1);
  CHECK(batch.key == SessionKey{1, 2});
}

}  // namespace
}  // namespace likematch
