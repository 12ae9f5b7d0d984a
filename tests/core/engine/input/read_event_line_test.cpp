#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/engine/input/line_parser.hpp"
#include "core/harness/random.hpp"

using likematch::Event;
using likematch::LikeType;
using likematch::read_event_line;

namespace {

// What read_event_line makes of the first line of `text`: the event and how many bytes it
// took, or nothing.
struct Read {
  bool ok = false;
  Event event;
  std::size_t taken = 0;
};

Read read(std::string_view text) {
  Read result;
  const char* next = read_event_line(text.data(), text.data() + text.size(), result.event);
  result.ok = next != nullptr;
  result.taken = result.ok ? static_cast<std::size_t>(next - text.data()) : 0;
  return result;
}

}  // namespace

TEST_CASE("reads an event line up to and including its newline", "[parser]") {
  const Read r = read("12|LIKE_NOT_LIKED|3|4\n5|LIKE_LIKED|6|7\n");
  REQUIRE(r.ok);
  CHECK(r.event == Event{12, LikeType::not_liked, 3, 4});
  CHECK(r.taken == 22);
}

TEST_CASE("reads an event line ended by CRLF", "[parser]") {
  const Read r = read("1|LIKE_UNSPECIFIED|0|9999999999999999999\r\n");
  REQUIRE(r.ok);
  CHECK(r.event == Event{1, LikeType::unspecified, 0, 9999999999999999999ULL});
  CHECK(r.taken == 42);
}

TEST_CASE("leaves to the careful path what is not a whole common event line", "[parser]") {
  for (const std::string_view text : {
           "1|LIKE_LIKED|2|3",                       // no newline within the text
           "1|LIKE_LIKED|2|3\r",                     // a carriage return, then the end
           "1|LIKE_LIKED|2|3\r\r\n",                 // two carriage returns
           "1|LIKE_LIKED|2|3 \n",                    // a space
           "1|LIKE_LIKED|2|3|\n",                    // five fields
           "1|LIKE_LIKED|2\n",                       // three fields
           "0|LIKE_LIKED|2|3\n",                     // sequence number 0
           "1|LIKE_LOVED|2|3\n",                     // unknown type
           "1|LIKE_|2|3\n",                          // truncated type
           "1|LIKE",                                 // the text ends inside the type
           "|LIKE_LIKED|2|3\n",                      // empty field
           "1|LIKE_LIKED||3\n",                      // empty field
           "1|LIKE_LIKED|2|\n",                      // empty field
           "12345678901234567890|LIKE_LIKED|2|3\n",  // 20 digits: the careful path judges
           "EVENT END\n",
           "\n",
           "\r\n",
       }) {
    INFO(text);
    CHECK_FALSE(read(text).ok);
  }
}

TEST_CASE("reads every line as parse_common_event reads it when cut out", "[parser]") {
  // Lines built from pieces that are valid, nearly valid or foreign, many times over.
  const std::vector<std::string> numbers = {"0",
                                            "1",
                                            "7",
                                            "007",
                                            "18446744073709551615",
                                            "",
                                            "1234567890123456789",
                                            "12345678901234567890",
                                            "-1",
                                            " 2",
                                            "3 ",
                                            "4x"};
  const std::vector<std::string> types = {
      "LIKE_LIKED", "LIKE_NOT_LIKED", "LIKE_UNSPECIFIED", "LIKE_LIKE",
      "LIKE_",      "like_liked",     "LIKE_LIKED|",      ""};
  const std::vector<std::string> ends = {"\n", "\r\n", "", "\r", "|\n", "\r\r\n"};
  likematch::Random random(2024);
  for (int i = 0; i < 200'000; ++i) {
    std::string line =
        numbers[random.below(numbers.size())] + "|" + types[random.below(types.size())] + "|" +
        numbers[random.below(numbers.size())] + "|" + numbers[random.below(numbers.size())];
    const std::string end = ends[random.below(ends.size())];
    const std::string text = line + end + "9|LIKE_LIKED|9|9\n";
    INFO(text);
    const Read r = read(text);
    // The line as LineReader would cut it: up to the first '\n', less one '\r' before it.
    const std::size_t newline = text.find('\n');
    std::string_view cut = std::string_view(text).substr(0, newline);
    if (cut.ends_with('\r')) {
      cut.remove_suffix(1);
    }
    Event expected;
    const bool common = likematch::parse_common_event(cut, expected);
    REQUIRE(r.ok == common);
    if (common) {
      REQUIRE(r.event == expected);
      REQUIRE(r.taken == newline + 1);
    }
  }
}
