#include "core/harness/listener_check.hpp"

#include <catch2/catch.hpp>

#include <string>

using likematch::ListenerCheck;
using State = ListenerCheck::State;

TEST_CASE("is complete after the last expected number, in order, and OK once it ends",
          "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.state() == State::reading);
  CHECK(check.on_bytes("4\n") == State::reading);
  CHECK(check.next_expected() == 7);
  CHECK(check.on_bytes("7\n") == State::complete);
  CHECK(check.next_expected() == std::nullopt);
  CHECK_FALSE(check.decided());
  CHECK(check.finish() == State::ok);
  CHECK(check.received() == 2);
  CHECK(check.reason().empty());
}

TEST_CASE("reads numbers split anywhere across pieces", "[listener_check]") {
  ListenerCheck check({4, 17, 123});
  for (const char* piece : {"", "4", "\n1", "7\r", "\n", "12", "3\n"}) {
    INFO(piece);
    CHECK_FALSE(check.decided());
    check.on_bytes(piece);
  }
  CHECK(check.state() == State::complete);
  CHECK(check.received() == 3);
}

TEST_CASE("with no match expected, is complete at once and OK only when it ends",
          "[listener_check]") {
  ListenerCheck check({});
  CHECK(check.state() == State::complete);
  CHECK(check.next_expected() == std::nullopt);
  CHECK(check.on_bytes("") == State::complete);
  CHECK(check.finish() == State::ok);
}

TEST_CASE("says ERROR at any number when none is expected", "[listener_check]") {
  ListenerCheck check({});
  CHECK(check.on_bytes("5\n7\n") == State::error);
  CHECK(check.reason() == "expected no more numbers, got 5");
  CHECK(check.received() == 0);
}

TEST_CASE("says ERROR at a number after the last expected one", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_bytes("4\n7\n999999\n") == State::error);
  CHECK(check.reason() == "expected no more numbers, got 999999");
  CHECK(check.received() == 2);
}

TEST_CASE("says ERROR at part of a line after the last number, once it ends", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes("4\n99") == State::complete);
  CHECK(check.finish() == State::error);
  CHECK(check.reason() == "expected no more numbers, got \"99\" without its line end");
}

TEST_CASE("says ERROR at an empty line after the last number", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes("4\n\n") == State::error);
  CHECK(check.reason() == "expected no more numbers, got an empty line");
}

TEST_CASE("says ERROR at a last number without its newline at the end of the stream",
          "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_bytes("4\n7") == State::reading);
  CHECK(check.finish() == State::error);
  CHECK(check.reason() == "expected 7, got \"7\" without its line end");

  ListenerCheck short_list({4, 7});
  CHECK(short_list.on_bytes("4\n") == State::reading);
  CHECK(short_list.finish() == State::reading);  // no verdict: the list never came whole
}

TEST_CASE("says ERROR at a number out of order, as in the challenge", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_bytes("4\n") == State::reading);
  CHECK(check.on_bytes("6\n") == State::error);
  CHECK(check.reason() == "expected 7, got 6");
  CHECK(check.received() == 1);
}

TEST_CASE("stays at its first verdict whatever comes after", "[listener_check]") {
  ListenerCheck check({4, 7, 9});
  CHECK(check.on_bytes("7\n4\n") == State::error);
  CHECK(check.on_bytes("7\n") == State::error);
  CHECK(check.finish() == State::error);
  CHECK(check.reason() == "expected 4, got 7");

  ListenerCheck done({4});
  CHECK(done.on_bytes("4\n") == State::complete);
  CHECK(done.finish() == State::ok);
  CHECK(done.on_bytes("5\n") == State::ok);
}

TEST_CASE("says ERROR at a skipped number", "[listener_check]") {
  ListenerCheck check({4, 7, 9});
  CHECK(check.on_bytes("4\n9\n") == State::error);
  CHECK(check.reason() == "expected 7, got 9");
}

TEST_CASE("says ERROR at a repeated number", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_bytes("4\n4\n") == State::error);
  CHECK(check.reason() == "expected 7, got 4");
}

TEST_CASE("accepts a number ended by CRLF", "[listener_check]") {
  ListenerCheck check({4, 7});
  CHECK(check.on_bytes("4\r\n") == State::reading);
  CHECK(check.on_bytes("7\r\n") == State::complete);
}

TEST_CASE("quotes a line that is not a number", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes("MATCH BEGIN\n") == State::error);
  CHECK(check.reason() == "expected 4, got \"MATCH BEGIN\"");
}

TEST_CASE("rejects signs, spaces and trailing text around a number", "[listener_check]") {
  for (const char* line : {"+4", "-4", " 4", "4 ", "4x", "4|LIKE_LIKED|1|2"}) {
    ListenerCheck check({4});
    INFO(line);
    CHECK(check.on_bytes(std::string(line) + "\n") == State::error);
    CHECK(check.reason() == "expected 4, got \"" + std::string(line) + "\"");
  }
}

TEST_CASE("shows control bytes in a wrong line escaped", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes(std::string("4\x1b\n", 3)) == State::error);
  CHECK(check.reason() == "expected 4, got \"4\\x1B\"");
}

TEST_CASE("names an empty line", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes("\n") == State::error);
  CHECK(check.reason() == "expected 4, got an empty line");
}

TEST_CASE("rejects a number too large for 64 bits", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes("99999999999999999999999\n") == State::error);
  CHECK(check.reason() == "expected 4, got \"99999999999999999999999\"");
}

TEST_CASE("shortens a long wrong line in the reason", "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes(std::string(100, 'x') + "\n") == State::error);
  CHECK(check.reason() == "expected 4, got \"" + std::string(40, 'x') + "\" (and 60 more bytes)");
}

TEST_CASE("says ERROR at a line longer than 4096 bytes without waiting for its end",
          "[listener_check]") {
  ListenerCheck check({4});
  CHECK(check.on_bytes(std::string(ListenerCheck::k_max_line, '4')) == State::reading);
  CHECK(check.on_bytes("4") == State::error);
  CHECK(check.reason() == "expected 4, got a line longer than 4096 bytes");

  ListenerCheck after_the_last({4});
  CHECK(after_the_last.on_bytes("4\n" + std::string(5000, '7')) == State::error);
  CHECK(after_the_last.reason() == "expected no more numbers, got a line longer than 4096 bytes");
}

TEST_CASE("gives the verdict lines of the challenge", "[listener_check]") {
  CHECK(likematch::to_string(likematch::verdict_of(State::ok)) == "MATCH END - OK");
  CHECK(likematch::to_string(likematch::verdict_of(State::error)) == "MATCH END - ERROR");
}
