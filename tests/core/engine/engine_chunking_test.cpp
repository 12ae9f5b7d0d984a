#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/harness/random.hpp"
#include "core/rules/rule_comparison.hpp"
#include "tests/support/recording_sink.hpp"

using likematch::Engine;
using likematch::EngineOptions;
using likematch::MatchRules;
using likematch::Random;
using likematch::Stats;
using likematch::test::RecordingSink;

namespace {

constexpr std::size_t k_max_line = 40;

// A stream with every kind of line the engine treats apart, in random order: events (with
// repeats and late ones), lines over k_max_line bytes (some of them valid events written
// with leading zeros), malformed and empty lines, CRLF, control lines anywhere, and
// sometimes a byte order mark or no final newline.
std::string messy_stream(Random& random) {
  std::string text;
  if (random.below(4) == 0) {
    text += "\xEF\xBB\xBF";
  }
  const std::uint64_t lines = 1 + random.below(400);
  const char* const types[] = {"LIKE_LIKED", "LIKE_NOT_LIKED", "LIKE_UNSPECIFIED"};
  for (std::uint64_t i = 0; i < lines; ++i) {
    const std::uint64_t kind = random.below(20);
    if (kind < 12) {
      text += std::to_string(1 + random.below(lines)) + "|" + types[random.below(3)] + "|" +
              std::to_string(random.below(4)) + "|" + std::to_string(random.below(4));
    } else if (kind == 12) {
      // A valid event written with leading zeros (at most 19 digits a number, the common
      // form) to just under, at or just over the limit.
      std::size_t zeros = k_max_line - 1 - std::string("1|LIKE_LIKED|1|2").size() + random.below(4);
      std::string numbers[3] = {"1", "1", "2"};
      for (std::string& number : numbers) {
        const std::size_t pad = std::min<std::size_t>(zeros, 18);
        number.insert(0, pad, '0');
        zeros -= pad;
      }
      text += numbers[0] + "|LIKE_LIKED|" + numbers[1] + "|" + numbers[2];
    } else if (kind == 13) {
      text += std::string(k_max_line + random.below(3 * k_max_line), 'x');
    } else if (kind == 14) {
      text += "5|LIKE_LOVED|1|2";
    } else if (kind == 15) {
      text += "";
    } else if (kind == 16) {
      text += "EVENT BEGIN";
    } else if (kind == 17) {
      text += random.below(3) == 0 ? "EVENT END" : "7|LIKE_LIKED|2";
    } else if (kind == 18) {
      text +=
          "\xEF\xBB\xBF"
          "3|LIKE_LIKED|1|2";
    } else {
      text += std::to_string(1 + random.below(lines)) + "|LIKE_LIKED|1|0\r";
    }
    if (i + 1 < lines || random.below(3) != 0) {
      text += random.below(8) == 0 ? "\r\n" : "\n";
    }
  }
  return text;
}

struct Run {
  RecordingSink sink;
  Stats stats;
};

// Feeds `text` in pieces cut at `cuts` (increasing offsets), then finishes.
Run run_cut(const std::string& text, const std::vector<std::size_t>& cuts,
            const MatchRules& rules) {
  Run run;
  Engine engine(EngineOptions{rules, k_max_line}, run.sink);
  std::size_t at = 0;
  for (const std::size_t cut : cuts) {
    engine.feed(std::string_view(text).substr(at, cut - at));
    at = cut;
  }
  engine.feed(std::string_view(text).substr(at));
  engine.finish();
  run.stats = engine.stats();
  return run;
}

void require_same(const Run& got, const Run& expected) {
  REQUIRE(got.sink.matches == expected.sink.matches);
  REQUIRE(got.sink.warnings == expected.sink.warnings);
  REQUIRE(got.stats == expected.stats);
}

}  // namespace

// Feeds of one byte never hold a whole line, so they take only the splitter's path; a
// single feed takes the engine's own loop for all but the first and the last line.
TEST_CASE("messy streams give the same results whole, byte by byte and in random pieces",
          "[engine][property]") {
  Random random(777);
  for (int round = 0; round < 400; ++round) {
    const std::string text = messy_stream(random);
    const MatchRules& rules =
        likematch::k_rule_variants[random.below(likematch::k_rule_variants.size())];
    INFO("round " << round << ": " << text);

    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < text.size(); ++i) {
      every_byte.push_back(i);
    }
    const Run bytewise = run_cut(text, every_byte, rules);
    require_same(run_cut(text, {}, rules), bytewise);

    std::vector<std::size_t> random_cuts;
    for (std::size_t at = random.below(50); at < text.size(); at += 1 + random.below(200)) {
      random_cuts.push_back(at);
    }
    require_same(run_cut(text, random_cuts, rules), bytewise);
  }
}
