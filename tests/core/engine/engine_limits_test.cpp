#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/engine/engine.hpp"

namespace likematch {
namespace {

class RecordingSink : public EngineSink {
 public:
  void on_match(const Match& match) override { matches.push_back(match.seq); }
  Flow on_warning(const Warning& warning) override {
    warnings.push_back(warning);
    return Flow::go_on;
  }

  std::vector<std::uint64_t> matches;
  std::vector<Warning> warnings;
};

TEST_CASE("one event over the buffer limit cuts the session and decides what arrived",
          "[engine][limits]") {
  EngineOptions options;
  options.max_buffered = 3;
  RecordingSink sink;
  Engine engine(options, sink);
  // Seq 1 never comes: 2..5 wait. The fourth waiting event (5) is one too many.
  engine.feed(
      "2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|1|2\n5|LIKE_LIKED|2|1\n"
      "6|LIKE_LIKED|1|2\n");
  CHECK(engine.ended());
  CHECK(engine.stats().cut);
  CHECK(sink.matches == std::vector<std::uint64_t>{3, 4, 5});
  REQUIRE(sink.warnings.size() == 3);
  CHECK(sink.warnings[0] ==
        Warning{WarningKind::buffer_limit, 4,
                "more than 3 events wait for an earlier sequence number: the session is cut "
                "here, what arrived is decided"});
  CHECK(sink.warnings[1] ==
        Warning{WarningKind::gaps, 0,
                "1 sequence number had not arrived when the session was cut: 1"});
  CHECK(sink.warnings[2] == Warning{WarningKind::after_end, 5, "line after the session was cut"});
}

TEST_CASE("events decided as they come never count against the buffer limit", "[engine][limits]") {
  EngineOptions options;
  options.max_buffered = 1;
  RecordingSink sink;
  Engine engine(options, sink);
  std::string text;
  for (int seq = 1; seq <= 1000; ++seq) {
    text += std::to_string(seq) + (seq % 2 == 1 ? "|LIKE_LIKED|1|2\n" : "|LIKE_LIKED|2|1\n");
  }
  engine.feed(text);
  engine.finish();
  CHECK_FALSE(engine.stats().cut);
  CHECK(sink.warnings.empty());
  CHECK(sink.matches.size() == 999);
}

}  // namespace
}  // namespace likematch
