#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace likematch {

// A fixed-size array of T that starts zero-filled, for the large tables of the engine (the
// reorder ring, the pair table). Fresh pages from the system read as zero without being
// written, so nothing is touched twice; T must accept all-zero bytes as a value.
//
// Arrays from 256 KiB on are mapped on their own and ask for transparent huge pages (Linux,
// madvise mode): the tables are read at random, and with 4 KiB pages nearly every access
// into 12 MB also missed the TLB. They reserve address space well beyond their size, so
// that growing is usually nothing at all (see zeroed_array.cpp for what that saved).
// The untyped part, in zeroed_array.cpp.
struct ZeroedBlock {
  void* data = nullptr;
  std::size_t reserved = 0;  // bytes usable without moving
};
ZeroedBlock allocate_zeroed(std::size_t bytes);
ZeroedBlock grow_zeroed(ZeroedBlock block, std::size_t bytes, std::size_t new_bytes);
void free_zeroed(ZeroedBlock block);

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(std::size_t count);
  ~ZeroedArray();
  ZeroedArray(ZeroedArray&& other) noexcept { swap(other); }
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    ZeroedArray gone(std::move(other));
    swap(gone);
    return *this;
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;

  // Grows to `count` elements (more than now), keeping the present ones; the new ones are
  // zero. A large array is remapped rather than copied, so its pages are not touched again.
  void grow(std::size_t count) {
    m_block = grow_zeroed(m_block, m_bytes, count * sizeof(T));
    m_data = static_cast<T*>(m_block.data);
    m_bytes = count * sizeof(T);
  }

  // Zeroes every element in place: the pages stay mapped, so a table kept for reuse costs a
  // memset, not a page fault per page.
  void zero() {
    if (m_data != nullptr) {
      std::memset(static_cast<void*>(m_data), 0, m_bytes);
    }
  }

  T& operator[](std::size_t i) { return m_data[i]; }
  const T& operator[](std::size_t i) const { return m_data[i]; }
  T* data() const { return m_data; }
  std::size_t bytes() const { return m_bytes; }

 private:
  void swap(ZeroedArray& other) noexcept {
    std::swap(m_block, other.m_block);
    std::swap(m_data, other.m_data);
    std::swap(m_bytes, other.m_bytes);
  }

  ZeroedBlock m_block;
  T* m_data = nullptr;  // m_block.data, typed
  std::size_t m_bytes = 0;
};

template <typename T>
ZeroedArray<T>::ZeroedArray(std::size_t count)
    : m_block(allocate_zeroed(count * sizeof(T))),
      m_data(static_cast<T*>(m_block.data)),
      m_bytes(count * sizeof(T)) {}

template <typename T>
ZeroedArray<T>::~ZeroedArray() {
  if (m_data != nullptr) {
    free_zeroed(m_block);
  }
}

}  // namespace likematch
