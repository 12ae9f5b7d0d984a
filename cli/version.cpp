#include "cli/version.hpp"

#include <fmt/format.h>

#include <string_view>

namespace likematch::cli {

std::string version_text() {
  std::string text = "likematch " LIKEMATCH_VERSION;
  if (const std::string_view commit = LIKEMATCH_GIT_COMMIT; !commit.empty()) {
    text += fmt::format(" (git {})", commit);
  }
  return text;
}

}  // namespace likematch::cli
