#include "core/harness/listener_check.hpp"

#include <fmt/format.h>

#include <charconv>
#include <utility>

#include "core/engine/line_parser.hpp"

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
    m_verdict = Verdict::ok;
  }
}

ListenerCheck::Verdict ListenerCheck::on_line(std::string_view line) {
  if (m_verdict != Verdict::pending) {
    return m_verdict;
  }
  if (line.ends_with('\r')) {
    line.remove_suffix(1);
  }
  const std::uint64_t want = m_expected[m_next];
  const std::optional<std::uint64_t> got = parse_number(line);
  if (!got) {
    m_verdict = Verdict::error;
    m_reason = line.empty() ? fmt::format("expected {}, got an empty line", want)
                            : fmt::format("expected {}, got {}", want, quote_for_message(line));
    return m_verdict;
  }
  if (*got != want) {
    m_verdict = Verdict::error;
    m_reason = fmt::format("expected {}, got {}", want, *got);
    return m_verdict;
  }
  ++m_next;
  if (m_next == m_expected.size()) {
    m_verdict = Verdict::ok;
  }
  return m_verdict;
}

std::optional<std::uint64_t> ListenerCheck::next_expected() const {
  if (m_verdict != Verdict::pending) {
    return std::nullopt;
  }
  return m_expected[m_next];
}

std::string_view verdict_line(ListenerCheck::Verdict verdict) {
  return verdict == ListenerCheck::Verdict::ok ? k_match_end_ok : k_match_end_error;
}

}  // namespace likematch
