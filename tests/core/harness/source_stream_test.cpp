#include "core/harness/source_stream.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace likematch {
namespace {

const std::vector<Event> k_events{{1, LikeType::liked, 1, 2}, {2, LikeType::liked, 2, 1}};

TEST_CASE("a source stream is its control lines around one line per event", "[source_stream]") {
  CHECK(source_stream(k_events) == "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(source_stream(k_events, SourceFraming{.control_lines = false}) ==
        "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n");
  CHECK(source_stream({}) == "EVENT BEGIN\nEVENT END\n");
}

TEST_CASE("under CRLF every line ends in CRLF, the control lines too", "[source_stream]") {
  CHECK(source_stream(k_events, SourceFraming{.crlf = true}) ==
        "EVENT BEGIN\r\n1|LIKE_LIKED|1|2\r\n2|LIKE_LIKED|2|1\r\nEVENT END\r\n");
  CHECK(source_stream(k_events, SourceFraming{.control_lines = false, .crlf = true}) ==
        "1|LIKE_LIKED|1|2\r\n2|LIKE_LIKED|2|1\r\n");
}

}  // namespace
}  // namespace likematch
