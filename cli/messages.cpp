#include "cli/messages.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace likematch::cli {

void print_message(const Output& output, std::string_view text) {
  const std::string line = fmt::format("likematch: {}\n", text);
  std::fwrite(line.data(), 1, line.size(), output.err);
  std::fflush(output.err);
}

std::string plural(std::uint64_t count, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string input_name(std::string_view path) {
  return path == "-" ? std::string("standard input") : std::string(path);
}

std::string warning_text(const Warning& warning, bool strict) {
  if (strict) {
    return fmt::format("error: {}", warning.message);
  }
  const std::string_view then = consequence(warning.kind);
  return then.empty() ? warning.message : fmt::format("{}, {}", warning.message, then);
}

}  // namespace likematch::cli
