#pragma once

// Streams for tests: events as the text a source sends, and the list a listener must receive,
// from the reference matcher. The one place tests turn events into bytes and expectations.

#include <range/v3/algorithm/mismatch.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/transform.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"
#include "core/harness/source_stream.hpp"
#include "core/rules/reference_matcher.hpp"

namespace likematch::test {

using Framing = SourceFraming;

// Event lines only, as a file or a test of the engine holds them.
inline constexpr Framing k_lines_only{.control_lines = false};

// `text` with every "\n" made "\r\n".
inline std::string with_crlf(std::string_view text) {
  std::string crlf;
  for (const char c : text) {
    if (c == '\n') {
      crlf += '\r';
    }
    crlf += c;
  }
  return crlf;
}

// The events as a source sends them, one line each, in the order given: as the harness writes
// them.
inline std::string stream_text(const std::vector<Event>& events, Framing framing = {}) {
  return source_stream(events, framing);
}

// The sequence numbers of `matches`, in their order.
inline std::vector<std::uint64_t> seqs(const std::vector<Match>& matches) {
  return matches | ranges::views::transform(&Match::seq) | ranges::to<std::vector>();
}

// What a listener must receive for `events` under `rules`, as numbers.
inline std::vector<std::uint64_t> expected_list(const std::vector<Event>& events,
                                                const MatchRules& rules = {}) {
  return seqs(reference_matches(events, rules));
}

// A listener expecting `expected` sees a wrong number from `sent` (not merely too few).
inline bool sees_a_wrong_number(const std::vector<std::uint64_t>& sent,
                                const std::vector<std::uint64_t>& expected) {
  return ranges::mismatch(sent, expected).in1 != sent.end();
}

// Numbers as a listener reads them: "4\n7\n".
inline std::string numbers_text(const std::vector<std::uint64_t>& numbers) {
  std::string text;
  for (const std::uint64_t number : numbers) {
    text += std::to_string(number) + "\n";
  }
  return text;
}

// A generated session: its events, the bytes a source sends, and the listener's expected text.
struct Session {
  std::vector<Event> events;
  std::string text;      // EVENT BEGIN, the events in arrival order, EVENT END
  std::string expected;  // the reference matcher's list, one number per line
};

inline Session generated_session(const GeneratorOptions& options, const MatchRules& rules = {}) {
  Session session;
  session.events = generate_events(options);
  session.text = stream_text(session.events);
  session.expected = numbers_text(expected_list(session.events, rules));
  return session;
}

// Generator options in one expression: `stream_options(20'000, 200, 7)`.
inline GeneratorOptions stream_options(std::uint64_t events, std::uint64_t users,
                                       std::uint64_t seed, Shuffle shuffle = {}) {
  GeneratorOptions options;
  options.events = events;
  options.users = users;
  options.seed = seed;
  options.shuffle = shuffle;
  return options;
}

// Few users, so that pairs repeat and withdraw: the rule variants' lists differ, early enough
// that a listener expecting any one of them sees a wrong number from any other. With
// self-likes (one event in 15) users like themselves again and again, so that the three
// self-like rules differ too and all twelve lists are different.
inline GeneratorOptions diverging_options(bool self_likes = false) {
  GeneratorOptions options = stream_options(1500, 15, 3);
  options.self_likes = self_likes;
  return options;
}

}  // namespace likematch::test
