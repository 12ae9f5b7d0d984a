#pragma once

#include <optional>
#include <string_view>

namespace likematch {

// The words of the challenge's protocol (docs/protocol.md), written once.
// The Event Source's control lines:
inline constexpr std::string_view k_event_begin = "EVENT BEGIN";
inline constexpr std::string_view k_event_end = "EVENT END";
// What the Event Listener sends: a greeting, then its verdict on what it received.
inline constexpr std::string_view k_match_begin = "MATCH BEGIN";
inline constexpr std::string_view k_match_end_ok = "MATCH END - OK";
inline constexpr std::string_view k_match_end_error = "MATCH END - ERROR";

enum class Verdict { ok, error };

// "MATCH END - OK" or "MATCH END - ERROR".
constexpr std::string_view to_string(Verdict verdict) {
  return verdict == Verdict::ok ? k_match_end_ok : k_match_end_error;
}

// The verdict a listener line says, if it says one.
constexpr std::optional<Verdict> parse_verdict(std::string_view line) {
  if (line == k_match_end_ok) {
    return Verdict::ok;
  }
  if (line == k_match_end_error) {
    return Verdict::error;
  }
  return std::nullopt;
}

}  // namespace likematch
