#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/engine.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {

// Keeps everything an Engine reports, for tests to compare.
class RecordingSink : public EngineSink {
 public:
  void on_match(const Match& match) override { matches.push_back(match); }
  Flow on_warning(const Warning& warning) override {
    warnings.push_back(warning);
    return Flow::go_on;
  }

  std::vector<std::uint64_t> match_seqs() const { return seqs(matches); }

  std::vector<Match> matches;
  std::vector<Warning> warnings;
};

// Runs a whole stream through a fresh Engine in one piece and finishes it.
inline void run_whole(std::string_view text, const EngineOptions& options, EngineSink& sink) {
  Engine engine(options, sink);
  engine.feed(text);
  engine.finish();
}

// The same, keeping everything the engine reports.
inline RecordingSink run_engine(std::string_view text, MatchRules rules = {},
                                std::size_t max_line_length = EngineOptions{}.max_line_length) {
  RecordingSink sink;
  EngineOptions options;
  options.rules = rules;
  options.max_line_length = max_line_length;
  run_whole(text, options, sink);
  return sink;
}

}  // namespace likematch::test
