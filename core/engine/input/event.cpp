#include "core/engine/input/event.hpp"

namespace likematch {

std::string_view to_string(LikeType type) {
  switch (type) {
    case LikeType::liked:
      return "LIKE_LIKED";
    case LikeType::not_liked:
      return "LIKE_NOT_LIKED";
    case LikeType::unspecified:
      return "LIKE_UNSPECIFIED";
  }
  return "?";
}

}  // namespace likematch
