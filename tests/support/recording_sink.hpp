#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"

namespace likematch::testing {

// Keeps everything an Engine reports, for tests to compare.
class RecordingSink : public EngineSink {
 public:
  void on_match(const Match& match) override { matches.push_back(match); }
  Flow on_warning(const Warning& warning) override {
    warnings.push_back(warning);
    return Flow::go_on;
  }

  std::vector<std::uint64_t> match_seqs() const {
    std::vector<std::uint64_t> out;
    for (const Match& match : matches) {
      out.push_back(match.seq);
    }
    return out;
  }

  std::vector<Match> matches;
  std::vector<Warning> warnings;
};

// Runs a whole stream through a fresh Engine in one piece and finishes it.
inline RecordingSink run_engine(std::string_view text, MatchRules rules = {},
                                std::size_t max_line_length = EngineOptions{}.max_line_length) {
  RecordingSink sink;
  EngineOptions options;
  options.rules = rules;
  options.max_line_length = max_line_length;
  Engine engine(options, sink);
  engine.feed(text);
  engine.finish();
  return sink;
}

}  // namespace likematch::testing
