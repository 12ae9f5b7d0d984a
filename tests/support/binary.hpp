#pragma once

// The likematch binary the end-to-end tests run: $LIKEMATCH_BINARY when set and not empty (to
// run this build's tests against another build's binary, as CONTRIBUTING.md shows), else the
// one this build made. Included into every test source by tests/CMakeLists.txt, so that
// LIKEMATCH_BINARY reads the same everywhere.

#include <cstdlib>

namespace likematch::test {

inline const char* likematch_binary() {
  const char* chosen = std::getenv("LIKEMATCH_BINARY");
  return chosen != nullptr && *chosen != '\0' ? chosen : LIKEMATCH_BUILT_BINARY;
}

}  // namespace likematch::test

#define LIKEMATCH_BINARY ::likematch::test::likematch_binary()
