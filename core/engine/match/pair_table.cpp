#include "core/engine/match/pair_table.hpp"

namespace likematch {

namespace {

constexpr std::size_t k_initial_capacity = 1024;

}  // namespace

PairTable::PairTable() {
  allocate(k_initial_capacity);
}

void PairTable::allocate(std::size_t capacity) {
  m_words = ZeroedArray<std::uint64_t>(capacity);
  m_seqs = ZeroedArray<std::uint64_t>(2 * capacity);
  m_mask = capacity - 1;
}

void PairTable::clear() {
  // Nothing but an insert writes a slot, so without narrow pairs the arrays are all zero.
  if (m_size != 0) {
    m_words.zero();
    m_seqs.zero();
    m_size = 0;
  }
  m_wide.clear();
}

PairEntry PairTable::find_wide(std::uint64_t lo, std::uint64_t hi) {
  const auto it = m_wide.find({lo, hi});
  return it == m_wide.end() ? PairEntry{} : PairEntry{&it->second.word, it->second.seqs};
}

PairEntry PairTable::find_or_insert_wide(std::uint64_t lo, std::uint64_t hi) {
  WideEntry& entry = m_wide[{lo, hi}];
  return {&entry.word, entry.seqs};
}

// Doubles the table in place. Rehashing into a fresh table first-touched the old size again
// at every growth (0.7 ms per MB here; 192 MB over a 10M-event run); instead both arrays are
// extended (mremap, zero tail) and every entry is taken out and put back with the new mask.
//
// Taking entries out must not break the probe chain of one already put back, so no chain
// may run through a slot not yet visited. Visiting starts after an empty old slot e, so each
// old cluster is visited from its start and, until the visit wraps to slot 0, every entry
// sits at or after its home. An entry whose new home is in the lower half then stops at the
// latest at its own, just emptied, slot. One whose new home is in the upper half probes only
// entries put back before it, and cannot wrap from the top of the table to slot 0 before
// slots 0..e are visited: a full run [r, 2C) would hold 2C - r entries whose old slots all
// lie in [r - C, C), plus the new one, more than the 2C - r slots there. Once the visit has
// wrapped, slots 0..e that a probe may reach are already visited.
void PairTable::grow() {
  const std::size_t old_capacity = m_mask + 1;
  const std::size_t old_mask = m_mask;
  m_words.grow(2 * old_capacity);
  m_seqs.grow(4 * old_capacity);
  m_mask = 2 * old_capacity - 1;

  std::size_t empty = 0;
  while (m_words[empty] != 0) {
    ++empty;  // the load is at most 3/4: there is one
  }
  for (std::size_t step = 1; step <= old_capacity; ++step) {
    const std::size_t slot = (empty + step) & old_mask;
    const std::uint64_t word = m_words[slot];
    if (word == 0) {
      continue;
    }
    const std::uint64_t seq_0 = m_seqs[2 * slot];
    const std::uint64_t seq_1 = m_seqs[2 * slot + 1];
    // An empty slot's sequence numbers must read as a new pair's.
    m_words[slot] = 0;
    m_seqs[2 * slot] = 0;
    m_seqs[2 * slot + 1] = 0;
    const std::size_t i = slot_of(word & ~k_flag_mask);  // not in the table: an empty slot
    m_words[i] = word;
    m_seqs[2 * i] = seq_0;
    m_seqs[2 * i + 1] = seq_1;
  }
}

}  // namespace likematch
