#pragma once

// LIKEMATCH_ASSERT(condition): an invariant the code relies on, checked where
// LIKEMATCH_ASSERTIONS is defined (the sanitizer build LIKEMATCH_SANITIZE, the fuzzer, Debug)
// and compiled out of Release, where the hot path pays nothing for it.

#ifdef LIKEMATCH_ASSERTIONS

#include <cstdio>
#include <cstdlib>

namespace likematch {

[[noreturn]] inline void invariant_broken(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, condition);
  std::abort();
}

}  // namespace likematch

#define LIKEMATCH_ASSERT(condition)   \
  ((condition) ? static_cast<void>(0) \
               : ::likematch::invariant_broken(#condition, __FILE__, __LINE__))

#else

// Not evaluated, but compiled: what it names stays used and must stay valid.
#define LIKEMATCH_ASSERT(condition) static_cast<void>(sizeof(!(condition)))

#endif
