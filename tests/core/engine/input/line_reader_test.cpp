#include "core/engine/input/line_reader.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

using likematch::LineReader;

namespace {

// Keeps what the reader hands out: lines as "NUMBER:TEXT", oversized lines as
// "NUMBER:oversized".
struct Collect {
  std::vector<std::string> out;
  void on_line(std::string_view line, std::uint64_t number) {
    out.push_back(std::to_string(number) + ":" + std::string(line));
  }
  void on_oversized(std::uint64_t number) { out.push_back(std::to_string(number) + ":oversized"); }
};

// The same, with a fast path that takes every complete line starting with "#" in place.
struct CollectScanning : Collect {
  std::string scanned;
  const char* scan_line(const char* p, const char* end) {
    if (*p != '#') {
      return nullptr;
    }
    const auto* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
    scanned.assign(p, newline);
    return newline + 1;
  }
  void take_scanned(std::uint64_t number) {
    out.push_back(std::to_string(number) + ":scanned " + scanned);
  }
};

// Feeds `text` in pieces of `chunk` bytes (the last piece may be shorter), then finishes.
template <typename Handler = Collect>
std::vector<std::string> read(const std::string& text, std::size_t chunk,
                              std::size_t max_line_length = 4096) {
  LineReader reader(max_line_length);
  Handler handler;
  for (std::size_t at = 0; at < text.size(); at += chunk) {
    reader.feed(std::string_view(text).substr(at, chunk), handler);
  }
  reader.finish(handler);
  return handler.out;
}

// Feeds each file whole, as replay does with FILE..., then finishes.
std::vector<std::string> read_files(const std::vector<std::string>& files) {
  LineReader reader(4096);
  Collect handler;
  for (const std::string& file : files) {
    reader.next_file();
    reader.feed(file, handler);
  }
  reader.finish(handler);
  return handler.out;
}

}  // namespace

TEST_CASE("cuts text into lines whatever the piece size", "[line_reader]") {
  const std::string text = "1|LIKE_LIKED|1|2\nEVENT END\n\nlast\n";
  const std::vector<std::string> expected = {"1:1|LIKE_LIKED|1|2", "2:EVENT END", "3:", "4:last"};
  for (std::size_t chunk = 1; chunk <= text.size() + 1; ++chunk) {
    INFO("chunk " << chunk);
    CHECK(read(text, chunk) == expected);
  }
}

TEST_CASE("assembles a line that spans several pieces", "[line_reader]") {
  LineReader reader(100);
  Collect handler;
  reader.feed("12|LIKE", handler);
  reader.feed("_LIK", handler);
  CHECK(handler.out.empty());
  reader.feed("ED|1|2\n3|", handler);
  CHECK(handler.out == std::vector<std::string>{"1:12|LIKE_LIKED|1|2"});
  reader.feed("x\n", handler);
  CHECK(handler.out == std::vector<std::string>{"1:12|LIKE_LIKED|1|2", "2:3|x"});
}

TEST_CASE("hands out a last line that has no newline at finish", "[line_reader]") {
  CHECK(read("a\nb", 1) == std::vector<std::string>{"1:a", "2:b"});
  CHECK(read("a\nb", 10) == std::vector<std::string>{"1:a", "2:b"});
  CHECK(read("", 1).empty());
  CHECK(read("\n", 1) == std::vector<std::string>{"1:"});
}

TEST_CASE("drops one carriage return before the newline and leaves any other", "[line_reader]") {
  for (std::size_t chunk : {1, 2, 100}) {
    INFO("chunk " << chunk);
    CHECK(read("a\r\nb\r\r\nc\rd\n\r\n", chunk) ==
          std::vector<std::string>{"1:a", "2:b\r", "3:c\rd", "4:"});
    CHECK(read("last\r", chunk) == std::vector<std::string>{"1:last"});
  }
}

TEST_CASE("accepts a line exactly at the limit, its carriage return not counted", "[line_reader]") {
  const std::string line(10, 'x');
  for (std::size_t chunk : {1, 3, 100}) {
    INFO("chunk " << chunk);
    CHECK(read(line + "\n" + line, chunk, 10) ==
          std::vector<std::string>{"1:" + line, "2:" + line});
    CHECK(read(line + "\r\n" + line + "\r", chunk, 10) ==
          std::vector<std::string>{"1:" + line, "2:" + line});
    CHECK(read(line + "y\r\n", chunk, 10) == std::vector<std::string>{"1:oversized"});
  }
}

TEST_CASE("skips an oversized line once and reads the next line normally", "[line_reader]") {
  const std::string text = "short\n" + std::string(50, 'x') + "\nnext\n";
  const std::vector<std::string> expected = {"1:short", "2:oversized", "3:next"};
  for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
    INFO("chunk " << chunk);
    CHECK(read(text, chunk, 10) == expected);
  }
}

TEST_CASE("skips an oversized last line that has no newline", "[line_reader]") {
  for (std::size_t chunk : {1, 7, 100}) {
    CHECK(read("a\n" + std::string(50, 'x'), chunk, 10) ==
          std::vector<std::string>{"1:a", "2:oversized"});
  }
}

TEST_CASE("never buffers more than the limit of an oversized line", "[line_reader]") {
  LineReader reader(16);
  Collect handler;
  reader.feed("0123456789", handler);
  reader.feed("0123456789", handler);
  // Reported as soon as the limit is passed.
  CHECK(handler.out == std::vector<std::string>{"1:oversized"});
  // A megabyte more of the same line is dropped as it comes, not reported again.
  const std::string more(1 << 20, 'y');
  for (int i = 0; i < 8; ++i) {
    reader.feed(more, handler);
  }
  CHECK(handler.out.size() == 1);
  reader.feed("tail\nok\n", handler);
  CHECK(handler.out == std::vector<std::string>{"1:oversized", "2:ok"});
  CHECK(reader.lines() == 2);
}

TEST_CASE("counts lines across pieces", "[line_reader]") {
  LineReader reader(100);
  Collect handler;
  reader.feed("a\nb\nc", handler);
  CHECK(reader.lines() == 2);
  CHECK(reader.in_line());
  reader.finish(handler);
  CHECK(reader.lines() == 3);
  CHECK(!reader.in_line());
}

TEST_CASE("the fast path reads the complete lines inside a piece, the rest is cut as usual",
          "[line_reader]") {
  const std::string text = "#a\nb\n#c\n#ddddddddddddd\n#e";
  // Whole: the complete lines in the middle are scanned; a line over the limit is not taken
  // even when scanned, and the last line, not yet ended, never is.
  CHECK(read<CollectScanning>(text, 100, 10) ==
        std::vector<std::string>{"1:scanned #a", "2:b", "3:scanned #c", "4:oversized", "5:#e"});
  // One byte at a time no line is complete inside a piece: the same lines, none scanned.
  CHECK(read<CollectScanning>(text, 1, 10) ==
        std::vector<std::string>{"1:#a", "2:b", "3:#c", "4:oversized", "5:#e"});
}

TEST_CASE("skips a byte order mark at the start, even one byte at a time", "[line_reader]") {
  const std::string text =
      "\xEF\xBB\xBF"
      "a\n\xEF\xBB\xBF"
      "b\n";
  for (std::size_t chunk : {1, 2, 4, 100}) {
    INFO("chunk " << chunk);
    // Only at the start: the second one is part of its line.
    CHECK(read(text, chunk) == std::vector<std::string>{"1:a",
                                                        "2:\xEF\xBB\xBF"
                                                        "b"});
  }
}

TEST_CASE("a stream that only begins like a byte order mark keeps its bytes", "[line_reader]") {
  for (std::size_t chunk : {1, 100}) {
    INFO("chunk " << chunk);
    CHECK(read("\xEF\xBBx\n", chunk) == std::vector<std::string>{"1:\xEF\xBBx"});
    CHECK(read("\xEF\xBB", chunk) == std::vector<std::string>{"1:\xEF\xBB"});
    CHECK(read("\xEF\n", chunk) == std::vector<std::string>{"1:\xEF"});
  }
}

TEST_CASE("files are joined as cat joins them, each one's byte order mark skipped",
          "[line_reader]") {
  const std::string bom = "\xEF\xBB\xBF";
  // A line runs on from one file into the next.
  CHECK(read_files({"1|LIKE_LI", "KED|1|2\n2|LIKE_LIKED|2|1\n"}) ==
        std::vector<std::string>{"1:1|LIKE_LIKED|1|2", "2:2|LIKE_LIKED|2|1"});
  CHECK(read_files({bom + "a\n", bom + "b\n", bom + "c"}) ==
        std::vector<std::string>{"1:a", "2:b", "3:c"});
  CHECK(read_files({"a", bom + "b\n"}) == std::vector<std::string>{"1:ab"});
  // A mark split across two files is skipped, as cat would give it at the stream's start.
  CHECK(read_files({"\xEF\xBB",
                    "\xBF"
                    "a\n"}) == std::vector<std::string>{"1:a"});
  CHECK(read_files({"\xEF", "",
                    "\xBB\xBF"
                    "a\n"}) == std::vector<std::string>{"1:a"});
}
