#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/capture_sink.hpp"

namespace likematch::test {

// The alternatives of serve's "try:" line after a listener's ERROR, e.g. {"--rule latest",
// "--rule ever --self-like-rule match"}; empty if there is none.
inline std::vector<std::string> suggestions(CaptureSink& log) {
  constexpr std::string_view k_try = "try: likematch serve ";
  constexpr std::string_view k_else = ", else ";
  for (const std::string& line : log.lines()) {
    const std::size_t at = line.find(k_try);
    if (at == std::string::npos) {
      continue;
    }
    std::vector<std::string> found;
    std::string rest = line.substr(at + k_try.size());
    for (std::size_t cut = rest.find(k_else); cut != std::string::npos; cut = rest.find(k_else)) {
      found.push_back(rest.substr(0, cut));
      rest = rest.substr(cut + k_else.size());
    }
    found.push_back(rest);
    return found;
  }
  return {};
}

}  // namespace likematch::test
