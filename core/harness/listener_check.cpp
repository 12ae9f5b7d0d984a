#include "core/harness/listener_check.hpp"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "core/engine/input/line_parser.hpp"

namespace likematch {

namespace {

std::optional<std::uint64_t> parse_number(std::string_view line) {
  std::uint64_t value = 0;
  const char* end = line.data() + line.size();
  // from_chars takes no sign and no spaces: the line must be digits and nothing else.
  const auto [stop, error] = std::from_chars(line.data(), end, value);
  if (line.empty() || error != std::errc{} || stop != end) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

ListenerCheck::ListenerCheck(std::vector<std::uint64_t> expected)
    : m_expected(std::move(expected)) {
  if (m_expected.empty()) {
    m_state = State::complete;
  }
}

ListenerCheck::State ListenerCheck::on_bytes(std::string_view bytes) {
  if (decided()) {
    return m_state;
  }
  Lines lines{*this};
  m_lines.feed(bytes, lines);
  return m_state;
}

ListenerCheck::State ListenerCheck::finish() {
  if (decided()) {
    return m_state;
  }
  // Every line ends with '\n': a number cut short by the close may be the start of a longer
  // one ("7" of "71"), so it is never taken for the number it looks like.
  m_unterminated = m_lines.in_line();
  Lines lines{*this};
  m_lines.finish(lines);
  if (m_state == State::complete) {
    m_state = State::ok;
  }
  return m_state;
}

void ListenerCheck::judge(std::string_view line) {
  // The reader hands on the lines of one feed even after one of them decided.
  if (decided()) {
    return;
  }
  if (m_unterminated) {
    wrong(fmt::format("{} without its line end", quote_for_message(line)));
    return;
  }
  const std::optional<std::uint64_t> got = parse_number(line);
  if (!got) {
    wrong(line.empty() ? std::string("an empty line") : quote_for_message(line));
    return;
  }
  if (m_state == State::complete || *got != m_expected[m_next]) {
    wrong(std::to_string(*got));
    return;
  }
  ++m_next;
  if (m_next == m_expected.size()) {
    m_state = State::complete;
  }
}

void ListenerCheck::wrong(std::string got) {
  if (decided()) {
    return;
  }
  m_reason = m_state == State::complete
                 ? fmt::format("expected no more numbers, got {}", got)
                 : fmt::format("expected {}, got {}", m_expected[m_next], got);
  m_state = State::error;
}

std::optional<std::uint64_t> ListenerCheck::next_expected() const {
  if (m_state != State::reading) {
    return std::nullopt;
  }
  return m_expected[m_next];
}

std::string ListenerCheck::fmt_longer_than() {
  return fmt::format("a line longer than {} bytes", k_max_line);
}

}  // namespace likematch
