#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace likematch {

inline constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";

// The one place where a byte stream becomes lines: the engine's source streams, serve's
// listener lines and the emulated harness's listener all read through it, so that they agree
// on every byte.
//
// Pieces of any size go in; each line comes out once, numbered from 1 over the whole stream,
// without its "\n" and without one "\r" before it. A line longer than `max_line_length`
// (not counting "\r\n") is never buffered: it is reported once as oversized and its bytes are
// skipped up to the next "\n". A UTF-8 byte order mark at the start of the stream, or of each
// file of it (next_file), is skipped, even when it arrives one byte at a time.
//
// The handler:
//   void on_line(std::string_view line, std::uint64_t number);
//   void on_oversized(std::uint64_t number);
// and, optionally, a fast path for the complete lines inside one piece, the bulk of a large
// stream: reading an event also finds the end of its line, where cutting the line first and
// parsing it after cost a fifth of the parsing time:
//   const char* scan_line(const char* p, const char* end);  // end is just past a "\n"
//   void take_scanned(std::uint64_t number);
// scan_line reads the line at p in place and returns where the next line starts, or nullptr
// to have the reader cut the line itself; a scanned line within the length limit is then
// taken, any other goes to on_line or on_oversized as usual.
class LineReader {
 public:
  explicit LineReader(std::size_t max_line_length)
      : m_max_line_length(max_line_length),
        // Up to one "\r" more may wait for its "\n"; a limit of SIZE_MAX must not wrap.
        m_max_partial(max_line_length + (max_line_length < SIZE_MAX ? 1 : 0)) {}

  template <typename Handler>
  void feed(std::string_view bytes, Handler& handler);

  // End of the stream: a last line without "\n" is handed out.
  template <typename Handler>
  void finish(Handler& handler);

  // The next byte begins another file of the stream (`replay FILE...`): the files are joined
  // as `cat` joins them, a line running on from one into the next, but a byte order mark at
  // a file's start is skipped too. A mark split across two files is skipped as `cat` would
  // give it, at the start of the stream.
  void next_file() { m_seeking_mark = true; }

  // Lines handed out so far (oversized ones included).
  std::uint64_t lines() const { return m_line; }
  // Bytes of a line not yet ended are held: the next byte continues that line.
  bool in_line() const { return !m_partial.empty() || m_discarding; }
  std::size_t max_line_length() const { return m_max_line_length; }

 private:
  template <typename Handler>
  std::string_view skip_byte_order_mark(std::string_view bytes, Handler& handler);
  template <typename Handler>
  void read_complete_lines(const char* p, const char* end, Handler& handler);
  template <typename Handler>
  void add_partial(std::string_view piece, Handler& handler);
  template <typename Handler>
  void end_partial(std::string_view piece, Handler& handler);
  template <typename Handler>
  void hand_out(std::string_view line, Handler& handler);

  std::size_t m_max_line_length;
  std::size_t m_max_partial;
  std::string m_partial;  // the line begun by earlier pieces
  std::uint64_t m_line = 0;
  bool m_discarding = false;  // inside an oversized line, until its "\n"
  bool m_seeking_mark = true;
  std::size_t m_mark_bytes = 0;  // bytes of a byte order mark read so far
};

template <typename Handler>
void LineReader::feed(std::string_view bytes, Handler& handler) {
  if (m_seeking_mark) {
    bytes = skip_byte_order_mark(bytes, handler);
  }
  if (bytes.empty()) {
    return;
  }
  const char* p = bytes.data();
  const char* const end = p + bytes.size();
  if (in_line()) {
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', bytes.size()));
    if (newline == nullptr) {
      add_partial(bytes, handler);
      return;
    }
    end_partial(std::string_view(p, static_cast<std::size_t>(newline - p)), handler);
    p = newline + 1;
  }
  const char* last = end;
  while (last != p && last[-1] != '\n') {
    --last;
  }
  read_complete_lines(p, last, handler);
  if (last != end) {
    add_partial(std::string_view(last, static_cast<std::size_t>(end - last)), handler);
  }
}

template <typename Handler>
void LineReader::finish(Handler& handler) {
  if (m_mark_bytes != 0) {
    // A stream that ends inside what began as a byte order mark: those bytes are content.
    const std::string_view taken = k_byte_order_mark.substr(0, m_mark_bytes);
    m_mark_bytes = 0;
    m_seeking_mark = false;
    add_partial(taken, handler);
  }
  if (m_discarding) {
    m_discarding = false;
    return;
  }
  if (!m_partial.empty()) {
    ++m_line;
    const std::string line = std::move(m_partial);
    m_partial.clear();
    hand_out(line, handler);
  }
}

template <typename Handler>
std::string_view LineReader::skip_byte_order_mark(std::string_view bytes, Handler& handler) {
  while (!bytes.empty()) {
    if (bytes.front() != k_byte_order_mark[m_mark_bytes]) {
      // Not a mark after all: what looked like its first bytes are the stream's.
      m_seeking_mark = false;
      const std::string_view taken = k_byte_order_mark.substr(0, m_mark_bytes);
      m_mark_bytes = 0;
      if (!taken.empty()) {
        add_partial(taken, handler);
      }
      return bytes;
    }
    bytes.remove_prefix(1);
    if (++m_mark_bytes == k_byte_order_mark.size()) {
      m_mark_bytes = 0;
      m_seeking_mark = false;
      return bytes;
    }
  }
  return bytes;
}

template <typename Handler>
void LineReader::read_complete_lines(const char* p, const char* end, Handler& handler) {
  while (p != end) {
    ++m_line;
    if constexpr (requires { handler.scan_line(p, end); }) {
      if (const char* next = handler.scan_line(p, end); next != nullptr) {
        const std::size_t length =
            static_cast<std::size_t>(next - p) - (next - p >= 2 && next[-2] == '\r' ? 2 : 1);
        if (length <= m_max_line_length) {
          handler.take_scanned(m_line);
          p = next;
          continue;
        }
      }
    }
    const auto* newline =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    hand_out(std::string_view(p, static_cast<std::size_t>(newline - p)), handler);
    p = newline + 1;
  }
}

template <typename Handler>
void LineReader::add_partial(std::string_view piece, Handler& handler) {
  if (m_discarding) {
    return;
  }
  // Over the limit now, unless the one byte more is the "\r" of a "\r\n" still to come.
  if (m_partial.size() + piece.size() > m_max_partial ||
      (m_partial.size() + piece.size() > m_max_line_length &&
       (piece.empty() ? m_partial.back() : piece.back()) != '\r')) {
    ++m_line;
    m_partial.clear();
    m_discarding = true;
    handler.on_oversized(m_line);
    return;
  }
  m_partial.append(piece);
}

template <typename Handler>
void LineReader::end_partial(std::string_view piece, Handler& handler) {
  if (m_discarding) {
    m_discarding = false;  // the oversized line was reported when it grew too long
    return;
  }
  if (m_partial.size() + piece.size() > m_max_partial) {
    ++m_line;
    m_partial.clear();
    handler.on_oversized(m_line);
    return;
  }
  ++m_line;
  m_partial.append(piece);
  const std::string line = std::move(m_partial);
  m_partial.clear();
  hand_out(line, handler);
}

template <typename Handler>
void LineReader::hand_out(std::string_view line, Handler& handler) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.size() > m_max_line_length) {
    handler.on_oversized(m_line);
    return;
  }
  handler.on_line(line, m_line);
}

}  // namespace likematch
