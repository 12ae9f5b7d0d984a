#include "cli/validators.hpp"

#include <string>

namespace likematch::cli {

CLI::Validator non_negative() {
  return CLI::Validator(
      [](const std::string& text) {
        return text.starts_with('-') ? std::string("must not be negative") : std::string();
      },
      "", "non-negative");
}

CLI::Validator at_least_one() {
  return CLI::Validator(
      [](const std::string& text) {
        const bool zero = text.find_first_not_of('0') == std::string::npos;
        return text.starts_with('-') || zero ? std::string("must be at least 1") : std::string();
      },
      "", "at least one");
}

}  // namespace likematch::cli
