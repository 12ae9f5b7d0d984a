#include "core/engine/match/deferred_events.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "core/harness/random.hpp"

namespace likematch::test {

namespace {

std::vector<Event> read_back(const DeferredEvents& deferred) {
  std::vector<Event> events;
  DeferredEvents::Cursor cursor(deferred);
  Event event;
  while (cursor.next(event)) {
    events.push_back(event);
  }
  return events;
}

constexpr std::uint64_t k_short_id_limit = std::uint64_t{1} << 24;  // one word below it
constexpr std::uint64_t k_gap_limit = std::uint64_t{1} << 14;       // one word below it

}  // namespace

TEST_CASE("deferred events read back in order, whatever their gaps and ids", "[deferred_events]") {
  // Each edge of the one-word form from both sides: gaps of 0, 2^14 - 1 and 2^14, ids of
  // 2^24 - 1 and 2^24, ids of 31 bits and more, the largest id and sequence number.
  const std::vector<Event> events = {
      {1, LikeType::liked, 1, 2},
      {2, LikeType::not_liked, 2, 1},
      {2 + k_gap_limit, LikeType::unspecified, 3, 4},  // gap 2^14 - 1
      {3 + 2 * k_gap_limit, LikeType::liked, 5, 6},    // gap 2^14
      {4 + 2 * k_gap_limit, LikeType::liked, k_short_id_limit - 1, k_short_id_limit - 1},
      {5 + 2 * k_gap_limit, LikeType::liked, k_short_id_limit, 1},
      {6 + 2 * k_gap_limit, LikeType::not_liked, 1, k_short_id_limit},
      {7 + 2 * k_gap_limit, LikeType::liked, (std::uint64_t{1} << 31) - 1, std::uint64_t{1} << 31},
      {8 + 2 * k_gap_limit, LikeType::not_liked, UINT64_MAX, 0},
      {1'000'000'000'000, LikeType::liked, 7, 8},
      {UINT64_MAX - 1, LikeType::unspecified, 9, 9},
      {UINT64_MAX, LikeType::liked, 0, 0},
  };
  DeferredEvents deferred;
  for (const Event& event : events) {
    deferred.push(event);
  }
  CHECK(read_back(deferred) == events);
}

TEST_CASE("deferred events keep only the events pushed with keep", "[deferred_events]") {
  Random random(5);
  DeferredEvents deferred;
  std::vector<Event> kept;
  std::uint64_t seq = 0;
  for (int i = 0; i < 100'000; ++i) {
    seq += 1 + (random.below(10) == 0 ? random.below(3 * k_gap_limit) : 0);
    const std::uint64_t id_limit = random.below(50) == 0 ? UINT64_MAX : 10'000;
    const Event event{seq, static_cast<LikeType>(1 + random.below(3)), random.below(id_limit),
                      random.below(id_limit)};
    const bool keep = random.below(3) != 0;
    deferred.push_if(event, keep);
    if (keep) {
      kept.push_back(event);
    }
  }
  CHECK(read_back(deferred) == kept);
}

TEST_CASE("deferred events, cleared, read back empty and take new events from anywhere",
          "[deferred_events]") {
  DeferredEvents deferred;
  deferred.push({10, LikeType::liked, 1, 2});
  deferred.push({11, LikeType::liked, 2, 1});
  const std::size_t memory = deferred.memory_bytes();
  deferred.clear();
  CHECK(deferred.empty());
  CHECK(read_back(deferred).empty());
  CHECK(deferred.memory_bytes() == memory);
  // The number right after the last one before the clear, then a smaller one: the list
  // starts afresh either way.
  const std::vector<Event> next = {{12, LikeType::liked, 4, 5}, {13, LikeType::not_liked, 5, 4}};
  deferred.push(next[0]);
  deferred.push(next[1]);
  CHECK(read_back(deferred) == next);
  deferred.clear();
  const std::vector<Event> smaller = {{3, LikeType::liked, 4, 5}, {4, LikeType::not_liked, 5, 4}};
  deferred.push(smaller[0]);
  deferred.push(smaller[1]);
  CHECK(read_back(deferred) == smaller);
}

TEST_CASE("deferred events keep their contents when room is reserved", "[deferred_events]") {
  DeferredEvents deferred;
  std::vector<Event> events;
  for (std::uint64_t seq = 1; seq <= 5000; ++seq) {
    events.push_back({seq * 3, LikeType::liked, seq % 97, seq % 89});
    deferred.push(events.back());
    if (seq % 1000 == 0) {
      deferred.reserve(seq * 10);
      CHECK(deferred.memory_bytes() >= (deferred.words() + seq * 10) * sizeof(std::uint64_t));
    }
  }
  CHECK(read_back(deferred) == events);
}

}  // namespace likematch::test
