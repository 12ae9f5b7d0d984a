#pragma once

#include <cstdint>

namespace likematch::io {

// The challenge's ports, written once: the Event Source's and the Event Listeners'. `serve`
// listens on (or dials) them, the emulated harness dials (or listens on) them.
inline constexpr std::uint16_t k_source_port = 9090;
inline constexpr std::uint16_t k_listener_port = 9099;

}  // namespace likematch::io
