#include "io/file_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstring>
#include <string>

#include "io/append_file.hpp"
#include "io/stream_reader.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

TEST_CASE("write_all writes every byte", "[io][file]") {
  TempDir dir;
  const int fd = ::open(dir.path("out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  std::string bytes(3 << 20, 'x');
  bytes.back() = '\n';
  CHECK_FALSE(io::write_all(fd, bytes));
  CHECK_FALSE(io::write_all(fd, ""));
  ::close(fd);
  CHECK(read_file(dir.path("out")) == bytes);
}

TEST_CASE("write_all says why it could not, in the system's words", "[io][file]") {
  const int full = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  REQUIRE(full >= 0);
  CHECK(io::write_all(full, "x").message() == std::string(std::strerror(ENOSPC)));
  CHECK(io::write_all(full, "x") == std::errc::no_space_on_device);
  ::close(full);
  CHECK(io::write_all(-1, "x").message() == std::string(std::strerror(EBADF)));
}

TEST_CASE("append_to_file appends whole records, and names the file in its errors", "[io][file]") {
  TempDir dir;
  const std::string path = dir.path("summaries.jsonl");
  CHECK(io::append_to_file(path, "{\"a\":1}\n") == std::nullopt);
  CHECK(io::append_to_file(path, "{\"a\":2}\n") == std::nullopt);
  CHECK(read_file(path) == "{\"a\":1}\n{\"a\":2}\n");

  CHECK(io::append_to_file(dir.path("no/such/dir"), "x") ==
        "cannot open " + dir.path("no/such/dir") + ": " + std::strerror(ENOENT));
  CHECK(io::append_to_file("/dev/full", "x") ==
        std::string("cannot write /dev/full: ") + std::strerror(ENOSPC));
}

TEST_CASE("StreamReader hands on a file's bytes and names what failed", "[io][file]") {
  TempDir dir;
  std::string text;
  for (int seq = 1; seq <= 10; ++seq) {
    text += std::to_string(seq) + "|LIKE_LIKED|1|2\n";
  }
  const std::string path = dir.write("events.txt", text);
  io::StreamReader reader(64);  // a small buffer: several pieces
  std::string got;
  int pieces = 0;
  CHECK(reader.read(path, [&](std::string_view bytes) {
    got.append(bytes);
    ++pieces;
    return true;
  }) == std::nullopt);
  CHECK(got == text);
  CHECK(pieces == 3);

  // The reader of the bytes may stop the reading.
  got.clear();
  CHECK(reader.read(path, [&](std::string_view bytes) {
    got.append(bytes);
    return false;
  }) == std::nullopt);
  CHECK(got == text.substr(0, 64));

  const auto ignore = [](std::string_view) { return true; };
  CHECK(reader.read(dir.path("missing.txt"), ignore) ==
        "cannot open " + dir.path("missing.txt") + ": " + std::strerror(ENOENT));
  CHECK(reader.read(dir.path(""), ignore) ==
        dir.path("") + ": read failed: " + std::strerror(EISDIR));
}

}  // namespace likematch::test
