#include "core/cluster/decided_merge.hpp"

#include <algorithm>

namespace likematch {

DecidedMerge::DecidedMerge(std::uint32_t partitions)
    : m_decided(partitions, 0), m_held(partitions) {}

void DecidedMerge::begin(const SessionKey& key) {
  m_key = key;
  std::fill(m_decided.begin(), m_decided.end(), 0);
  for (auto& held : m_held) {
    held.clear();
  }
  m_final.reset();
}

void DecidedMerge::input_ended(std::uint64_t final_watermark) {
  m_final = final_watermark;
}

std::vector<std::uint64_t> DecidedMerge::take(const DecidedBatch& batch) {
  if (!(batch.key == m_key) || batch.partition >= m_decided.size() ||
      batch.decided_up_to <= m_decided[batch.partition]) {
    return {};
  }
  std::uint64_t& decided = m_decided[batch.partition];
  std::vector<std::uint64_t>& held = m_held[batch.partition];
  for (const std::uint64_t match : batch.matches) {
    if (match > decided && match <= batch.decided_up_to) {
      held.push_back(match);
    }
  }
  decided = batch.decided_up_to;
  return ready();
}

std::uint64_t DecidedMerge::lowest() const {
  return *std::min_element(m_decided.begin(), m_decided.end());
}

bool DecidedMerge::complete() const {
  return m_final && lowest() >= *m_final;
}

std::vector<std::uint64_t> DecidedMerge::ready() {
  const std::uint64_t lowest = this->lowest();
  std::vector<std::uint64_t> out;
  for (auto& held : m_held) {
    const auto end = std::upper_bound(held.begin(), held.end(), lowest);
    out.insert(out.end(), held.begin(), end);
    held.erase(held.begin(), end);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace likematch
