#include "io/connection_events.hpp"

namespace likematch::io {

std::string_view to_string(Role role) {
  return role == Role::source ? "source" : "listener";
}

}  // namespace likematch::io
