#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace likematch {

// Cuts a byte stream that arrives in pieces of any size into lines. Complete lines inside a
// piece are handed out as views into it (no copy); only a line split across pieces is
// assembled in an internal buffer. A line longer than `max_line_length` is never buffered:
// its bytes are dropped up to the next '\n' and it is reported once as oversized.
class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line_length) : m_max_line_length(max_line_length) {}

  // Calls on_line(std::string_view line, std::uint64_t number) for each complete line (without
  // its '\n') and on_oversized(std::uint64_t number, std::uint64_t length_so_far) once for each
  // line over the limit. Line numbers are 1-based.
  template <typename OnLine, typename OnOversized>
  void feed(std::string_view bytes, OnLine&& on_line, OnOversized&& on_oversized);

  // End of input: a last line without '\n' is handed out.
  template <typename OnLine, typename OnOversized>
  void finish(OnLine&& on_line, OnOversized&& on_oversized);

  // `count` complete lines were handed out by someone else (the engine's own loop) between
  // two feeds; the last feed ended with a '\n', so no line is half read.
  void count_lines(std::uint64_t count) { m_line += count; }

  std::uint64_t lines() const { return m_line; }

 private:
  std::size_t m_max_line_length;
  std::string m_partial;
  std::uint64_t m_line = 0;
  bool m_discarding = false;
};

template <typename OnLine, typename OnOversized>
void LineSplitter::feed(std::string_view bytes, OnLine&& on_line, OnOversized&& on_oversized) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, newline);
    const bool complete = newline != std::string_view::npos;
    bytes = complete ? bytes.substr(newline + 1) : std::string_view{};

    if (m_discarding) {
      if (complete) {
        m_discarding = false;
      }
      continue;
    }
    if (m_partial.size() + piece.size() > m_max_line_length) {
      ++m_line;
      on_oversized(m_line, m_partial.size() + piece.size());
      m_partial.clear();
      m_discarding = !complete;
      continue;
    }
    if (!complete) {
      m_partial.append(piece);
      continue;
    }
    ++m_line;
    if (m_partial.empty()) {
      on_line(piece, m_line);
    } else {
      m_partial.append(piece);
      on_line(std::string_view(m_partial), m_line);
      m_partial.clear();
    }
  }
}

template <typename OnLine, typename OnOversized>
void LineSplitter::finish(OnLine&& on_line, OnOversized&& on_oversized) {
  (void)on_oversized;
  if (m_discarding) {
    m_discarding = false;
    return;
  }
  if (!m_partial.empty()) {
    ++m_line;
    on_line(std::string_view(m_partial), m_line);
    m_partial.clear();
  }
}

}  // namespace likematch
