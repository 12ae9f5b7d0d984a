#pragma once

#include <cstdint>

#include "core/engine/input/event.hpp"

namespace likematch {

// An event without its sequence number in one word, type << 62 | from << 31 | to, while both
// user ids fit in 31 bits (always, with the harness). Never 0: the type is at least 1, so 0
// can mean "no event" wherever such words are kept.
namespace packed_event {

inline constexpr int k_type_shift = 62;
inline constexpr std::uint64_t k_id_mask = (std::uint64_t{1} << 31) - 1;

inline bool fits(const Event& event) {
  return ((event.from | event.to) >> 31) == 0;
}
inline std::uint64_t pack(const Event& event) {
  return std::uint64_t{static_cast<std::uint8_t>(event.type)} << k_type_shift | event.from << 31 |
         event.to;
}
// The event packed in `word`, with sequence number `seq`.
inline Event unpack(std::uint64_t word, std::uint64_t seq) {
  return Event{seq, static_cast<LikeType>(word >> k_type_shift), (word >> 31) & k_id_mask,
               word & k_id_mask};
}

}  // namespace packed_event

}  // namespace likematch
