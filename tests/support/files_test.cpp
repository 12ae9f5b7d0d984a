// The test support's own guarantees, where a test relies on them.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "tests/support/files.hpp"

namespace likematch::test {
namespace {

// What a child given the file as its stderr does: write through its own descriptor, which
// shares the file's offset with the test.
void write_through(int descriptor, const std::string& text) {
  REQUIRE(::write(descriptor, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
}

TEST_CASE("an output read while it is written keeps every line, whatever the reader's offset",
          "[support]") {
  std::FILE* file = output_tmpfile();
  const int writer = ::dup(fileno(file));
  REQUIRE(writer != -1);

  write_through(writer, "first line\n");
  // read_file rewinds the shared offset; a write landing there would overwrite the first line.
  std::rewind(file);
  write_through(writer, "second line\n");

  CHECK(read_file(file) == "first line\nsecond line\n");
  ::close(writer);
  std::fclose(file);
}

}  // namespace
}  // namespace likematch::test
