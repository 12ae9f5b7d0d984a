#include "cli/json_text.hpp"

#include <catch2/catch.hpp>

namespace likematch::cli {
namespace {

TEST_CASE("quotes plain text as it is", "[json]") {
  CHECK(json_quote("session 1 begins") == R"("session 1 begins")");
  CHECK(json_quote("") == R"("")");
}

TEST_CASE("escapes quotes, backslashes and control characters", "[json]") {
  CHECK(json_quote("unknown type \"LIKE\\LOVED\"") == R"("unknown type \"LIKE\\LOVED\"")");
  CHECK(json_quote("a\nb\rc\td") == R"("a\nb\rc\td")");
  CHECK(json_quote(std::string_view("\0\x1f\x7f", 3)) == R"("\u0000\u001f\u007f")");
}

TEST_CASE("keeps valid UTF-8 and replaces every invalid byte", "[json]") {
  CHECK(json_quote("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") ==
        "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
  // A lone continuation byte, a truncated sequence, an overlong form, a surrogate.
  CHECK(json_quote("a\x80z") == "\"a\xEF\xBF\xBDz\"");
  CHECK(json_quote("a\xE2\x82") == "\"a\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(json_quote("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
  CHECK(json_quote("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

}  // namespace
}  // namespace likematch::cli
