#include "core/engine/input/line_parser.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using likematch::ControlLine;
using likematch::EmptyLine;
using likematch::Event;
using likematch::LikeType;
using likematch::parse_line;
using likematch::ParseError;

namespace {

// The reason a line is rejected, or "" if it was not rejected.
std::string reason_for(std::string_view line) {
  const auto parsed = parse_line(line);
  if (const auto* error = std::get_if<ParseError>(&parsed)) {
    return error->reason;
  }
  return "";
}

Event event_of(std::string_view line) {
  const auto parsed = parse_line(line);
  REQUIRE(std::holds_alternative<Event>(parsed));
  return std::get<Event>(parsed);
}

}  // namespace

TEST_CASE("reads the three event types", "[parser]") {
  CHECK(event_of("1027|LIKE_LIKED|3106|357") == Event{1027, LikeType::liked, 3106, 357});
  CHECK(event_of("158|LIKE_NOT_LIKED|5642|8766") == Event{158, LikeType::not_liked, 5642, 8766});
  CHECK(event_of("636|LIKE_UNSPECIFIED|6073|6052") ==
        Event{636, LikeType::unspecified, 6073, 6052});
}

TEST_CASE("reads the largest 64-bit numbers and user id 0", "[parser]") {
  CHECK(event_of("18446744073709551615|LIKE_LIKED|0|18446744073709551615") ==
        Event{18446744073709551615ULL, LikeType::liked, 0, 18446744073709551615ULL});
}

TEST_CASE("reads a line as LineReader hands it out: a carriage return left in it is content",
          "[parser]") {
  // The reader takes one "\r" off before the "\n" (line_reader_test); any other is the line's.
  CHECK(reason_for("4|LIKE_LIKED|200|100\r") ==
        "to user id \"100\\x0D\" is not an unsigned decimal integer");
  CHECK(reason_for("EVENT END\r") == "expected 4 fields separated by '|', got 1");
}

TEST_CASE("accepts leading zeros", "[parser]") {
  CHECK(event_of("007|LIKE_LIKED|0100|000200") == Event{7, LikeType::liked, 100, 200});
  // More digits than 64 bits could hold, but the value fits.
  CHECK(event_of("0000000000000000000000000000001|LIKE_LIKED|1|2").seq == 1);
}

TEST_CASE("reads the control lines", "[parser]") {
  CHECK(std::get<ControlLine>(parse_line("EVENT BEGIN")) == ControlLine::event_begin);
  CHECK(std::get<ControlLine>(parse_line("EVENT END")) == ControlLine::event_end);
}

TEST_CASE("rejects control lines that are not spelled exactly", "[parser]") {
  CHECK(reason_for("event begin") == "expected 4 fields separated by '|', got 1");
  CHECK(reason_for("EVENT BEGIN ") == "expected 4 fields separated by '|', got 1");
  CHECK(reason_for(" EVENT END") == "expected 4 fields separated by '|', got 1");
  CHECK(reason_for("MATCH BEGIN") == "expected 4 fields separated by '|', got 1");
}

TEST_CASE("reads an empty line as empty", "[parser]") {
  CHECK(std::holds_alternative<EmptyLine>(parse_line("")));
}

TEST_CASE("rejects lines with three or five fields", "[parser]") {
  CHECK(reason_for("1|LIKE_LIKED|2") == "expected 4 fields separated by '|', got 3");
  CHECK(reason_for("1|LIKE_LIKED|2|3|4") == "expected 4 fields separated by '|', got 5");
  CHECK(reason_for("1|LIKE_LIKED|2|3|") == "expected 4 fields separated by '|', got 5");
  CHECK(reason_for("|||||||") == "expected 4 fields separated by '|', got 8");
}

TEST_CASE("rejects empty fields by name", "[parser]") {
  CHECK(reason_for("|LIKE_LIKED|1|2") == "empty sequence number");
  CHECK(reason_for("1||1|2") == "empty type");
  CHECK(reason_for("1|LIKE_LIKED||2") == "empty from user id");
  CHECK(reason_for("1|LIKE_LIKED|1|") == "empty to user id");
  CHECK(reason_for("|||") == "empty sequence number");
}

TEST_CASE("rejects signs", "[parser]") {
  CHECK(reason_for("+5|LIKE_LIKED|1|2") ==
        "sequence number \"+5\" is not an unsigned decimal integer");
  CHECK(reason_for("-5|LIKE_LIKED|1|2") ==
        "sequence number \"-5\" is not an unsigned decimal integer");
  CHECK(reason_for("5|LIKE_LIKED|+1|2") ==
        "from user id \"+1\" is not an unsigned decimal integer");
  CHECK(reason_for("5|LIKE_LIKED|1|-2") == "to user id \"-2\" is not an unsigned decimal integer");
}

TEST_CASE("rejects spaces around fields", "[parser]") {
  CHECK(reason_for(" 5|LIKE_LIKED|1|2") ==
        "sequence number \" 5\" is not an unsigned decimal integer");
  CHECK(reason_for("5|LIKE_LIKED |1|2") == "unknown type \"LIKE_LIKED \"");
  CHECK(reason_for("5|LIKE_LIKED|1 |2") ==
        "from user id \"1 \" is not an unsigned decimal integer");
  CHECK(reason_for("5|LIKE_LIKED|1|2 ") == "to user id \"2 \" is not an unsigned decimal integer");
  CHECK(reason_for("5 | LIKE_LIKED | 1 | 2") ==
        "sequence number \"5 \" is not an unsigned decimal integer");
}

TEST_CASE("rejects numbers past 64 bits", "[parser]") {
  CHECK(reason_for("18446744073709551616|LIKE_LIKED|1|2") ==
        "sequence number \"18446744073709551616\" does not fit in 64 bits");
  CHECK(reason_for("1|LIKE_LIKED|99999999999999999999|2") ==
        "from user id \"99999999999999999999\" does not fit in 64 bits");
  CHECK(reason_for("1|LIKE_LIKED|1|18446744073709551616") ==
        "to user id \"18446744073709551616\" does not fit in 64 bits");
}

TEST_CASE("rejects sequence number 0, however it is written", "[parser]") {
  CHECK(reason_for("0|LIKE_LIKED|1|2") == "sequence number 0: sequence numbers start at 1");
  CHECK(reason_for("000|LIKE_LIKED|1|2") == "sequence number 0: sequence numbers start at 1");
}

TEST_CASE("rejects unknown and lower-case types", "[parser]") {
  CHECK(reason_for("1|LIKE_LOVED|1|2") == "unknown type \"LIKE_LOVED\"");
  CHECK(reason_for("1|like_liked|1|2") == "unknown type \"like_liked\"");
  CHECK(reason_for("1|Like_Liked|1|2") == "unknown type \"Like_Liked\"");
  CHECK(reason_for("1|LIKE|1|2") == "unknown type \"LIKE\"");
}

TEST_CASE("rejects NUL bytes and shows them escaped", "[parser]") {
  using namespace std::string_view_literals;
  CHECK(reason_for("1\0|LIKE_LIKED|1|2"sv) ==
        "sequence number \"1\\x00\" is not an unsigned decimal integer");
  CHECK(reason_for("1|LIKE_\0LIKED|1|2"sv) == "unknown type \"LIKE_\\x00LIKED\"");
  CHECK(reason_for("\0"sv) == "expected 4 fields separated by '|', got 1");
}

TEST_CASE("rejects invalid UTF-8 and shows the bytes escaped", "[parser]") {
  CHECK(reason_for("1|LIKE_LIKED\xFF|1|2") == "unknown type \"LIKE_LIKED\\xFF\"");
  CHECK(reason_for("1|LIKE_LIKED|\xC3\x28|2") ==
        "from user id \"\\xC3(\" is not an unsigned decimal integer");
  // Valid UTF-8 is no better: digits are ASCII only (here a full-width '1').
  CHECK(reason_for("1|LIKE_LIKED|2|\xEF\xBC\x91") ==
        "to user id \"\\xEF\\xBC\\x91\" is not an unsigned decimal integer");
}

TEST_CASE("rejects a carriage return anywhere but at the end", "[parser]") {
  CHECK(reason_for("1|LIKE_LIKED\r|1|2") == "unknown type \"LIKE_LIKED\\x0D\"");
  CHECK(reason_for("1\r|LIKE_LIKED|1|2") ==
        "sequence number \"1\\x0D\" is not an unsigned decimal integer");
  // What is left of "\r\r\n" once the reader took one off.
  CHECK(reason_for("1|LIKE_LIKED|1|2\r") ==
        "to user id \"2\\x0D\" is not an unsigned decimal integer");
}

TEST_CASE("reports the first bad field from the left", "[parser]") {
  CHECK(reason_for("x|y|z|w") == "sequence number \"x\" is not an unsigned decimal integer");
  CHECK(reason_for("1|y|z|w") == "unknown type \"y\"");
  CHECK(reason_for("1|LIKE_LIKED|z|w") == "from user id \"z\" is not an unsigned decimal integer");
}

TEST_CASE("shortens long fields in messages", "[parser]") {
  const std::string type(100, 'X');
  CHECK(reason_for("1|" + type + "|1|2") ==
        "unknown type \"" + std::string(40, 'X') + "\" (and 60 more bytes)");
}

TEST_CASE("quotes and escapes text for messages", "[parser]") {
  using likematch::quote_for_message;
  CHECK(quote_for_message("abc") == "\"abc\"");
  CHECK(quote_for_message("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(quote_for_message("\x7F\t") == "\"\\x7F\\x09\"");
  CHECK(quote_for_message("") == "\"\"");
}
