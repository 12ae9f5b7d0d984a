#pragma once

#include <cstdio>

namespace likematch::cli {

// Where a subcommand writes; tests pass temporary files instead of the process's streams.
struct Output {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

}  // namespace likematch::cli
