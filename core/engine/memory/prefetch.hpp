#pragma once

namespace likematch {

// Starts loading the cache line at `address` without waiting for it.
//
// Not plain __builtin_prefetch: g++ 12 judges a small function that only prefetches to have
// no side effects (ipa-pure-const), marks it const, and deletes every call to it before
// inlining; the instructions were missing from the binary. An asm volatile cannot be
// deleted.
inline void prefetch(const void* address) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(address)));
#else
  __builtin_prefetch(address);
  asm volatile("" : : "r"(address));
#endif
}

}  // namespace likematch
