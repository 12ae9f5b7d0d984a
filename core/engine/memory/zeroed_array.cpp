#include "core/engine/memory/zeroed_array.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace likematch {

namespace {

#if defined(__linux__)
// From here on an array is mapped on its own, in huge pages where the system allows. Each
// 4 KiB page faulted in cost several microseconds on these virtual machines: arrays that
// grew through calloc up to 2 MiB, copied at every doubling, took 1,200 of the 1,680 page
// faults of a 1M-event replay. A huge page is one fault for 2 MiB.
constexpr std::size_t k_mapped = std::size_t{256} << 10;
// Address space reserved for a mapped array: pages never touched cost nothing (the mapping
// is MAP_NORESERVE), so a table reaches 256 MiB, or 16 times its first size, before it
// moves.
constexpr std::size_t k_min_reserve = std::size_t{256} << 20;
constexpr std::size_t k_reserve_factor = 16;

void* map(std::size_t bytes, int extra_flags) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | extra_flags, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

ZeroedBlock map_reserved(std::size_t bytes) {
  const std::size_t reserve = std::max(k_min_reserve, k_reserve_factor * bytes);
  ZeroedBlock block{map(reserve, MAP_NORESERVE), reserve};
  if (block.data == nullptr) {
    // Strict overcommit accounting counts the reservation: map what is asked, no more.
    block = ZeroedBlock{map(bytes, 0), bytes};
    if (block.data == nullptr) {
      throw std::bad_alloc();
    }
  }
  ::madvise(block.data, block.reserved, MADV_HUGEPAGE);  // a hint: without it pages are small
  return block;
}
#endif

}  // namespace

ZeroedBlock allocate_zeroed(std::size_t bytes) {
#if defined(__linux__)
  if (bytes >= k_mapped) {
    return map_reserved(bytes);
  }
#endif
  void* p = std::calloc(bytes == 0 ? 1 : bytes, 1);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return {p, bytes};
}

ZeroedBlock grow_zeroed(ZeroedBlock block, std::size_t bytes, std::size_t new_bytes) {
  if (block.data == nullptr) {
    return allocate_zeroed(new_bytes);
  }
#if defined(__linux__)
  if (bytes >= k_mapped) {
    if (new_bytes <= block.reserved) {
      return block;  // the pages past `bytes` were never touched: they read as zero
    }
    // The kernel moves the page tables, not the memory, and the tail comes as zero pages.
    const std::size_t reserve = std::max(new_bytes, k_reserve_factor * bytes);
    void* moved = ::mremap(block.data, block.reserved, reserve, MREMAP_MAYMOVE);
    if (moved == MAP_FAILED) {
      throw std::bad_alloc();
    }
    ::madvise(moved, reserve, MADV_HUGEPAGE);
    return {moved, reserve};
  }
#endif
  ZeroedBlock grown = allocate_zeroed(new_bytes);
  std::memcpy(grown.data, block.data, bytes);
  free_zeroed(block);
  return grown;
}

void free_zeroed(ZeroedBlock block) {
#if defined(__linux__)
  if (block.reserved >= k_mapped) {
    ::munmap(block.data, block.reserved);
    return;
  }
#endif
  std::free(block.data);
}

}  // namespace likematch
