// FLOOR, not part of likematch: the least any replay must do. Reads the file through one
// reused, aligned 1 MiB buffer and parses every field of every line into integers (sequence
// number, type, both users), with no validation beyond what parsing needs, no ordering and
// no matching. Prints a checksum so that the compiler cannot drop the work.
//
//   parse_floor FILE
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace {

constexpr std::size_t k_buffer = std::size_t{1} << 20;

struct Totals {
  std::uint64_t lines = 0;
  std::uint64_t sum = 0;
};

const char* parse_number(const char* p, const char* end, std::uint64_t& value) {
  return std::from_chars(p, end, value).ptr;
}

void parse_line(std::string_view line, Totals& totals) {
  const char* p = line.data();
  const char* end = p + line.size();
  std::uint64_t seq = 0;
  std::uint64_t from = 0;
  std::uint64_t to = 0;
  p = parse_number(p, end, seq);
  if (p == end || *p != '|') {
    return;  // a control line
  }
  // LIKE_LIKED, LIKE_NOT_LIKED, LIKE_UNSPECIFIED differ at their sixth byte.
  const char* bar = static_cast<const char*>(std::memchr(p + 1, '|', end - p - 1));
  if (bar == nullptr || bar - p < 7) {
    return;
  }
  const std::uint64_t type = p[6] == 'L' ? 1 : p[6] == 'N' ? 2 : 3;
  p = parse_number(bar + 1, end, from);
  if (p != end) {
    parse_number(p + 1, end, to);
  }
  ++totals.lines;
  totals.sum += seq ^ (type + from * 31 + to);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: parse_floor FILE\n");
    return 2;
  }
  const int fd = ::open(argv[1], O_RDONLY);
  if (fd < 0) {
    std::perror(argv[1]);
    return 1;
  }
  // Aligned: read(2) into a misaligned buffer ran 4-5x slower on our machines.
  char* buffer = static_cast<char*>(std::aligned_alloc(64, k_buffer));
  Totals totals;
  std::size_t kept = 0;  // bytes of an unfinished line at the start of the buffer
  while (true) {
    const ssize_t got = ::read(fd, buffer + kept, k_buffer - kept);
    if (got <= 0) {
      break;
    }
    const char* p = buffer;
    const char* end = buffer + kept + got;
    while (const char* newline = static_cast<const char*>(std::memchr(p, '\n', end - p))) {
      parse_line(std::string_view(p, newline - p), totals);
      p = newline + 1;
    }
    kept = static_cast<std::size_t>(end - p);
    std::memmove(buffer, p, kept);
  }
  if (kept != 0) {
    parse_line(std::string_view(buffer, kept), totals);
  }
  std::printf("%llu lines, checksum %llu\n", static_cast<unsigned long long>(totals.lines),
              static_cast<unsigned long long>(totals.sum));
  std::free(buffer);
  ::close(fd);
  return 0;
}
