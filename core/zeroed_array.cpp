#include "core/zeroed_array.hpp"

#include <cstdlib>
#include <cstring>
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

void* grow_zeroed(void* p, std::size_t bytes, std::size_t new_bytes) {
  if (p == nullptr) {
    return allocate_zeroed(new_bytes);
  }
#if defined(__linux__)
  if (bytes >= k_huge_page) {
    // The kernel moves the page tables, not the memory, and the tail comes as zero pages.
    void* moved = ::mremap(p, bytes, new_bytes, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) {
      throw std::bad_alloc();
    }
    ::madvise(moved, new_bytes, MADV_HUGEPAGE);
    return moved;
  }
#endif
  void* grown = allocate_zeroed(new_bytes);
  std::memcpy(grown, p, bytes);
  free_zeroed(p, bytes);
  return grown;
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
