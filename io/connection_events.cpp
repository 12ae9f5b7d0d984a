#include "io/connection_events.hpp"

namespace likematch::io {

std::string_view to_string(Role role) {
  return role == Role::source ? "source" : "listener";
}

std::string_view to_string(CloseReason reason) {
  switch (reason) {
    case CloseReason::peer_closed:
      return "peer closed";
    case CloseReason::failed:
      return "failed";
    case CloseReason::idle:
      return "idle";
  }
  return "unknown";
}

}  // namespace likematch::io
