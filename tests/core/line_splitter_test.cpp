#include "core/engine/line_reader.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

using likematch::LineSplitter;

namespace {

// Feeds `text` in pieces of `chunk` bytes (the last piece may be shorter), then finishes.
// Returns what came out: lines as "NUMBER:TEXT", oversized lines as "NUMBER:oversized".
std::vector<std::string> split(const std::string& text, std::size_t chunk,
                               std::size_t max_line_length = 4096) {
  LineSplitter splitter(max_line_length);
  std::vector<std::string> out;
  auto on_line = [&](std::string_view line, std::uint64_t number) {
    out.push_back(std::to_string(number) + ":" + std::string(line));
  };
  auto on_oversized = [&](std::uint64_t number, std::uint64_t) {
    out.push_back(std::to_string(number) + ":oversized");
  };
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    splitter.feed(std::string_view(text).substr(at, chunk), on_line, on_oversized);
  }
  splitter.finish(on_line, on_oversized);
  return out;
}

}  // namespace

TEST_CASE("cuts text into lines whatever the piece size", "[splitter]") {
  const std::string text = "1|LIKE_LIKED|1|2\nEVENT END\n\nlast\n";
  const std::vector<std::string> expected = {"1:1|LIKE_LIKED|1|2", "2:EVENT END", "3:", "4:last"};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(split(text, chunk) == expected);
  }
}

TEST_CASE("assembles a line that spans several pieces", "[splitter]") {
  LineSplitter splitter(100);
  std::vector<std::string> out;
  auto on_line = [&](std::string_view line, std::uint64_t) { out.emplace_back(line); };
  auto never = [](std::uint64_t, std::uint64_t) { FAIL("nothing is oversized"); };
  splitter.feed("12|LIKE", on_line, never);
  splitter.feed("_LIK", on_line, never);
  CHECK(out.empty());
  splitter.feed("ED|1|2\n3|", on_line, never);
  CHECK(out == std::vector<std::string>{"12|LIKE_LIKED|1|2"});
  splitter.feed("x\n", on_line, never);
  CHECK(out == std::vector<std::string>{"12|LIKE_LIKED|1|2", "3|x"});
}

TEST_CASE("hands out a last line that has no newline at finish", "[splitter]") {
  CHECK(split("a\nb", 1) == std::vector<std::string>{"1:a", "2:b"});
  CHECK(split("a\nb", 10) == std::vector<std::string>{"1:a", "2:b"});
  CHECK(split("", 1).empty());
  CHECK(split("\n", 1) == std::vector<std::string>{"1:"});
}

TEST_CASE("keeps carriage returns for the parser to judge", "[splitter]") {
  CHECK(split("a\r\nb\r\n", 1) == std::vector<std::string>{"1:a\r", "2:b\r"});
}

TEST_CASE("accepts a line exactly at the limit", "[splitter]") {
  const std::string line(10, 'x');
  for (std::size_t chunk : {1, 3, 100}) {
    CHECK(split(line + "\n" + line, chunk, 10) ==
          std::vector<std::string>{"1:" + line, "2:" + line});
  }
}

TEST_CASE("skips an oversized line once and reads the next line normally", "[splitter]") {
  const std::string text = "short\n" + std::string(50, 'x') + "\nnext\n";
  const std::vector<std::string> expected = {"1:short", "2:oversized", "3:next"};
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    INFO("chunk " << chunk);
    CHECK(split(text, chunk, 10) == expected);
  }
}

TEST_CASE("skips an oversized last line that has no newline", "[splitter]") {
  for (std::size_t chunk : {1, 7, 100}) {
    CHECK(split("a\n" + std::string(50, 'x'), chunk, 10) ==
          std::vector<std::string>{"1:a", "2:oversized"});
  }
}

TEST_CASE("never buffers more than the limit of an oversized line", "[splitter]") {
  LineSplitter splitter(16);
  int oversized = 0;
  std::uint64_t reported_length = 0;
  std::vector<std::string> lines;
  auto on_line = [&](std::string_view line, std::uint64_t) { lines.emplace_back(line); };
  auto on_oversized = [&](std::uint64_t, std::uint64_t length) {
    ++oversized;
    reported_length = length;
  };
  splitter.feed("0123456789", on_line, on_oversized);
  splitter.feed("0123456789", on_line, on_oversized);
  CHECK(oversized == 1);
  // Reported as soon as the limit is passed, with the bytes seen so far.
  CHECK(reported_length == 20);
  // A megabyte more of the same line is dropped as it comes, not reported again.
  const std::string more(1 << 20, 'y');
  for (int i = 0; i < 8; ++i) {
    splitter.feed(more, on_line, on_oversized);
  }
  CHECK(oversized == 1);
  CHECK(lines.empty());
  splitter.feed("tail\nok\n", on_line, on_oversized);
  CHECK(lines == std::vector<std::string>{"ok"});
  CHECK(splitter.lines() == 2);
}

TEST_CASE("counts lines across pieces", "[splitter]") {
  LineSplitter splitter(100);
  auto ignore_line = [](std::string_view, std::uint64_t) {};
  auto ignore_oversized = [](std::uint64_t, std::uint64_t) {};
  splitter.feed("a\nb\nc", ignore_line, ignore_oversized);
  CHECK(splitter.lines() == 2);
  splitter.finish(ignore_line, ignore_oversized);
  CHECK(splitter.lines() == 3);
}
