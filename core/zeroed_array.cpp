#include "core/zeroed_array.hpp"

#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace likematch {

namespace {

#if defined(__linux__)
// From here on an array is mapped on its own, in huge pages where the system allows.
constexpr std::size_t k_huge_page = std::size_t{2} << 20;
#endif

}  // namespace

void* allocate_zeroed(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= k_huge_page) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      throw std::bad_alloc();
    }
    ::madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without it the pages are merely small
    return p;
  }
#endif
  void* p = std::calloc(bytes == 0 ? 1 : bytes, 1);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}

void free_zeroed(void* p, std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= k_huge_page) {
    ::munmap(p, bytes);
    return;
  }
#endif
  std::free(p);
}

}  // namespace likematch
