#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/input/line_reader.hpp"
#include "core/engine/input/protocol.hpp"

namespace likematch {

// Judges the bytes a server sends to the Event Listener against the expected match list: every
// line must be the next expected number, in order, and nothing may follow the last one. The
// first wrong line decides ERROR and nothing after it counts. The last expected number only
// makes the list complete: OK needs the quiet after it (or the end of the stream), since a
// careful listener would catch a number too many.
class ListenerCheck {
 public:
  enum class State {
    reading,   // numbers are still expected
    complete,  // every expected number arrived; any byte more is an error
    ok,        // complete, then quiet or the end of the stream: MATCH END - OK
    error,     // a wrong line, or something after the last number: MATCH END - ERROR
  };

  // A longer line is a wrong line, judged as soon as it is this long (no '\n' waited for).
  static constexpr std::size_t k_max_line = 4096;

  explicit ListenerCheck(std::vector<std::uint64_t> expected);

  // Bytes as read, in pieces of any size; lines end with '\n' (a '\r' before it is allowed).
  // Once ok or error, the state stays.
  State on_bytes(std::string_view bytes);
  // Nothing more will be judged: the server closed the connection, or (when complete) it was
  // quiet long enough. A last line without its '\n' is an error, whatever it holds; else
  // complete becomes ok.
  State finish();

  // With nothing expected, the check is complete before any byte arrives.
  State state() const { return m_state; }
  bool decided() const { return m_state == State::ok || m_state == State::error; }
  // Why the state is error: "expected 7, got 6", "expected no more numbers, got 999999".
  const std::string& reason() const { return m_reason; }
  // Numbers received in order so far.
  std::uint64_t received() const { return m_next; }
  std::uint64_t expected_count() const { return m_expected.size(); }
  // The number the check waits for, if any.
  std::optional<std::uint64_t> next_expected() const;

 private:
  // What LineReader calls for each line.
  struct Lines {
    ListenerCheck& check;
    void on_line(std::string_view line, std::uint64_t) { check.judge(line); }
    void on_oversized(std::uint64_t) { check.wrong(fmt_longer_than()); }
  };

  static std::string fmt_longer_than();
  void judge(std::string_view line);
  void wrong(std::string got);

  std::vector<std::uint64_t> m_expected;
  LineReader m_lines{k_max_line};
  std::uint64_t m_next = 0;  // index into m_expected
  State m_state = State::reading;
  bool m_unterminated = false;  // finish() found a line without its line end
  std::string m_reason;
};

// The verdict the listener sends for a decided check (ok or error).
constexpr Verdict verdict_of(ListenerCheck::State state) {
  return state == ListenerCheck::State::ok ? Verdict::ok : Verdict::error;
}

}  // namespace likematch
