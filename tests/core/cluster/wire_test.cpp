#include "core/cluster/wire.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace likematch {
namespace {

EventBatch sample_event_batch() {
  EventBatch batch;
  batch.key = {0x0123456789abcdefULL, 7};
  batch.rules = {Rule::latest, true, SelfLikeRule::ignore};
  batch.partitions = 8;
  batch.partition = 5;
  batch.number = 12;
  batch.watermark = 1'000'000;
  batch.events = {{3, LikeType::liked, 100, 200},
                  {9, LikeType::not_liked, UINT64_MAX, 0},
                  {1'000'000, LikeType::unspecified, 5, 5}};
  return batch;
}

TEST_CASE("an event batch reads back as it was written", "[cluster][wire]") {
  const EventBatch batch = sample_event_batch();
  std::string error;
  const auto decoded = decode_event_batch(encode(batch), error);
  REQUIRE(decoded);
  CHECK(*decoded == batch);
}

TEST_CASE("a decided batch reads back as it was written", "[cluster][wire]") {
  DecidedBatch batch;
  batch.key = {1, 2};
  batch.partition = 3;
  batch.decided_up_to = 99;
  batch.matches = {4, 7, 99};
  std::string error;
  const auto decoded = decode_decided_batch(encode(batch), error);
  REQUIRE(decoded);
  CHECK(*decoded == batch);
}

TEST_CASE("a cut event batch is refused with its reason", "[cluster][wire]") {
  std::string bytes = encode(sample_event_batch());
  bytes.pop_back();
  std::string error;
  CHECK_FALSE(decode_event_batch(bytes, error));
  CHECK(error == "an event batch with a broken header");
}

TEST_CASE("a decided batch is not read as an event batch", "[cluster][wire]") {
  std::string error;
  CHECK_FALSE(decode_event_batch(encode(DecidedBatch{}), error));
  CHECK(error == "not an event batch of version 1");
  CHECK_FALSE(decode_decided_batch(encode(sample_event_batch()), error));
  CHECK(error == "not a decided batch of version 101");
}

TEST_CASE("an event of unknown type is refused", "[cluster][wire]") {
  std::string bytes = encode(sample_event_batch());
  bytes[bytes.size() - 17] = 9;  // the last event's type
  std::string error;
  CHECK_FALSE(decode_event_batch(bytes, error));
  CHECK(error == "an event batch with an event of unknown type 9");
}

}  // namespace
}  // namespace likematch
