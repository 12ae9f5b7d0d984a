#include "core/harness/listener_check.hpp"

#include <catch2/catch.hpp>

#include <string>

using likematch::ListenerCheck;
using Verdict = ListenerCheck::Verdict;

TEST_CASE("is OK after the last expected number, in order", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.verdict() == Verdict::pending);
  CHECK(check.on_line("4") == Verdict::pending);
  CHECK(check.next_expected() == 7);
  CHECK(check.on_line("7") == Verdict::ok);
  CHECK(check.received() == 2);
  CHECK(check.reason().empty());
}

TEST_CASE("is OK at once when no match is expected", "[listener_check]") {
  ListenerCheck check({});
  CHECK(check.verdict() == Verdict::ok);
  CHECK(check.next_expected() == std::nullopt);
}

TEST_CASE("says ERROR at a number out of order, as in the challenge", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_line("4") == Verdict::pending);
  CHECK(check.on_line("6") == Verdict::error);
  CHECK(check.reason() == "expected 7, got 6");
  CHECK(check.received() == 1);
}

TEST_CASE("stays at its first verdict whatever comes after", "[listener_check]") {
  ListenerCheck check({4, 7, 9});
  CHECK(check.on_line("7") == Verdict::error);
  CHECK(check.on_line("4") == Verdict::error);
  CHECK(check.reason() == "expected 4, got 7");

  ListenerCheck done({4});
  CHECK(done.on_line("4") == Verdict::ok);
  CHECK(done.on_line("5") == Verdict::ok);
}

TEST_CASE("says ERROR at a skipped number", "[listener_check]") {
  ListenerCheck check({4, 7, 9});
  CHECK(check.on_line("4") == Verdict::pending);
  CHECK(check.on_line("9") == Verdict::error);
  CHECK(check.reason() == "expected 7, got 9");
}

TEST_CASE("says ERROR at a repeated number", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_line("4") == Verdict::pending);
  CHECK(check.on_line("4") == Verdict::error);
  CHECK(check.reason() == "expected 7, got 4");
}

TEST_CASE("accepts a number ended by CRLF", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_line("4\r") == Verdict::pending);
  CHECK(check.on_line("7\r") == Verdict::ok);
}

TEST_CASE("quotes a line that is not a number", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_line("MATCH BEGIN") == Verdict::error);
  CHECK(check.reason() == "expected 4, got \"MATCH BEGIN\"");
}

TEST_CASE("rejects signs, spaces and trailing text around a number", "[listener_check]") {
  for (const char* line : {"+4", "-4", " 4", "4 ", "4x", "4|LIKE_LIKED|1|2"}) {
    ListenerCheck check({4});
    INFO(line);
    CHECK(check.on_line(line) == Verdict::error);
    CHECK(check.reason() == "expected 4, got \"" + std::string(line) + "\"");
  }
}

TEST_CASE("shows control bytes in a wrong line escaped", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_line(std::string("4\x1b", 2)) == Verdict::error);
  CHECK(check.reason() == "expected 4, got \"4\\x1B\"");
}

TEST_CASE("names an empty line", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_line("") == Verdict::error);
  CHECK(check.reason() == "expected 4, got an empty line");
}

TEST_CASE("rejects a number too large for 64 bits", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_line("99999999999999999999999") == Verdict::error);
  CHECK(check.reason() == "expected 4, got \"99999999999999999999999\"");
}

TEST_CASE("shortens a long wrong line in the reason", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_line(std::string(100, 'x')) == Verdict::error);
  CHECK(check.reason() == "expected 4, got \"" + std::string(40, 'x') + "\" (and 60 more bytes)");
}

TEST_CASE("gives the verdict lines of the challenge", "[listener_check]") {
  CHECK(likematch::verdict_line(Verdict::ok) == "MATCH END - OK");
  CHECK(likematch::verdict_line(Verdict::error) == "MATCH END - ERROR");
}
