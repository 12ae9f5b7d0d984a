#pragma once

#include <cstdint>
#include <string_view>

namespace likematch {

// The numeric values are stored in the reorder buffer; 0 is kept free to mean "no event".
enum class LikeType : std::uint8_t { liked = 1, not_liked = 2, unspecified = 3 };

std::string_view to_string(LikeType type);

struct Event {
  std::uint64_t seq = 0;
  LikeType type = LikeType::unspecified;
  std::uint64_t from = 0;
  std::uint64_t to = 0;

  friend bool operator==(const Event&, const Event&) = default;
};

// A match is the event that completes it plus the earlier like it answers.
struct Match {
  std::uint64_t seq = 0;
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  // Sequence number of the latest earlier LIKE_LIKED from `to` to `from`. A self-like with none
  // before it (a match only under SelfLikeRule::match) answers itself: its own `seq`.
  std::uint64_t answering_seq = 0;

  friend bool operator==(const Match&, const Match&) = default;
};

}  // namespace likematch
