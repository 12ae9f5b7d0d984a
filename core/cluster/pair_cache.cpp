#include "core/cluster/pair_cache.hpp"

#include "core/engine/memory/mix.hpp"

namespace likematch {

std::size_t PairKeyHash::operator()(const PairKey& key) const {
  return static_cast<std::size_t>(mix_pair(key.lo, key.hi));
}

const PairRuleState* PairCache::find(const PairKey& key) {
  const auto found = m_states.find(key);
  if (found == m_states.end()) {
    return nullptr;
  }
  found->second.referenced = true;
  return &found->second.state;
}

void PairCache::put(const PairKey& key, const PairRuleState& state) {
  if (const auto found = m_states.find(key); found != m_states.end()) {
    found->second.state = state;
    found->second.referenced = true;
    return;
  }
  if (m_capacity == 0) {
    m_states.emplace(key, Entry{state, false});
    return;
  }
  if (m_clock.size() < m_capacity) {
    if (m_states.empty()) {
      m_states.reserve(m_capacity);  // no rehash (and its doubled table) once full
    }
    m_clock.push_back(key);
  } else {
    // The hand passes over the states read since it last came by, clearing their mark, and
    // takes the first one unmarked: it comes round to its start at worst.
    for (;;) {
      const auto held = m_states.find(m_clock[m_hand]);
      if (!held->second.referenced) {
        m_states.erase(held);
        ++m_evictions;
        break;
      }
      held->second.referenced = false;
      m_hand = (m_hand + 1) % m_capacity;
    }
    m_clock[m_hand] = key;
    m_hand = (m_hand + 1) % m_capacity;
  }
  m_states.emplace(key, Entry{state, false});
}

void PairCache::clear() {
  m_states.clear();
  m_clock.clear();
  m_hand = 0;
  m_evictions = 0;
}

}  // namespace likematch
