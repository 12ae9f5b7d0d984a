#include "core/engine/order/ring_slots.hpp"

#include <utility>

namespace likematch {

void RingSlots::allocate(std::size_t capacity, bool wide) {
  m_words = ZeroedArray<std::uint64_t>((wide ? 2 : 1) * capacity);
  m_types = ZeroedArray<std::uint8_t>(wide ? capacity : 0);
  m_capacity = capacity;
  m_wide = wide;
}

void RingSlots::grow(std::size_t capacity) {
  m_words.grow((m_wide ? 2 : 1) * capacity);
  if (m_wide) {
    m_types.grow(capacity);
  }
  m_capacity = capacity;
}

void RingSlots::widen() {
  RingSlots wide;
  wide.allocate(m_capacity, true);
  for (std::size_t i = 0; i < m_capacity; ++i) {
    if (occupied(i)) {
      wide.store(i, load(i, 0));
    }
  }
  *this = std::move(wide);
}

}  // namespace likematch
