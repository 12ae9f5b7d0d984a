#pragma once

// The command line parsed as main parses it, for tests of what it says.

#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"

namespace likematch::test {

struct Parsed {
  std::optional<int> status;  // std::nullopt: a command was chosen and its options set
  std::string out;
  std::string err;
};

inline Parsed parse(const std::vector<std::string>& args) {
  cli::AppOptions options;
  const auto app = cli::make_app(options);
  std::ostringstream out;
  std::ostringstream err;
  Parsed parsed;
  parsed.status = cli::parse_command_line(*app, args, out, err);
  parsed.out = out.str();
  parsed.err = err.str();
  return parsed;
}

}  // namespace likematch::test
