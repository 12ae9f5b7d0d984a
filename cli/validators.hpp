#pragma once

#include <CLI/CLI.hpp>

namespace likematch::cli {

// CLI11 reads "-1" into an unsigned option as 2^64-1, and its PositiveNumber message prints
// the range of a double; these say plainly what is wrong.
CLI::Validator non_negative();
CLI::Validator at_least_one();

}  // namespace likematch::cli
