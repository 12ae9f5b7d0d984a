#pragma once

#include <chrono>
#include <cstdint>

namespace likematch::io {

// The challenge's ports, written once: the Event Source's and the Event Listeners'. `serve`
// listens on (or dials) them, the emulated harness dials (or listens on) them.
inline constexpr std::uint16_t k_source_port = 9090;
inline constexpr std::uint16_t k_listener_port = 9099;

// How long dialing keeps retrying a port that refuses, the same for serve --connect and the
// harness: time for the other side's container to start, short enough for a mistyped host.
inline constexpr std::chrono::milliseconds k_connect_timeout{30'000};

}  // namespace likematch::io
