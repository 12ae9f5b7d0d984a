#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/protocol.hpp"

namespace likematch {

// Judges the lines a server sends to the Event Listener against the expected match list: every
// line must be the next expected number, in order. The first wrong line decides ERROR and
// nothing after it counts; the last expected number decides OK.
class ListenerCheck {
 public:
  enum class Verdict { pending, ok, error };

  explicit ListenerCheck(std::vector<std::uint64_t> expected);

  // A line without its '\n' (a trailing '\r' is allowed). Once decided, the verdict stays.
  Verdict on_line(std::string_view line);

  // An empty expected list is OK before any line arrives.
  Verdict verdict() const { return m_verdict; }
  // Why the verdict is ERROR: "expected 7, got 6". Empty otherwise.
  const std::string& reason() const { return m_reason; }
  // Numbers received in order so far.
  std::uint64_t received() const { return m_next; }
  std::uint64_t expected_count() const { return m_expected.size(); }
  // The number the check waits for, if any.
  std::optional<std::uint64_t> next_expected() const;

 private:
  std::vector<std::uint64_t> m_expected;
  std::uint64_t m_next = 0;  // index into m_expected
  Verdict m_verdict = Verdict::pending;
  std::string m_reason;
};

// The line the listener sends for a decided verdict: "MATCH END - OK" or "MATCH END - ERROR".
std::string_view verdict_line(ListenerCheck::Verdict verdict);

}  // namespace likematch
