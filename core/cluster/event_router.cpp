#include "core/cluster/event_router.hpp"

#include <algorithm>

#include "core/assert.hpp"
#include "core/cluster/partition.hpp"

namespace likematch {

EventRouter::EventRouter(std::uint32_t partitions, std::size_t max_batch_events)
    : m_max_batch_events(std::max<std::size_t>(1, max_batch_events)),
      m_pending(partitions),
      m_numbers(partitions, 0) {
  LIKEMATCH_ASSERT(partitions > 0);
}

void EventRouter::begin(const SessionKey& key, const MatchRules& rules) {
  m_key = key;
  m_rules = rules;
  m_watermark = 0;
  m_added = false;
  for (auto& pending : m_pending) {
    pending.clear();
  }
  std::fill(m_numbers.begin(), m_numbers.end(), 0);
}

void EventRouter::add(const Event& event) {
  m_pending[partition_of(event, partitions())].push_back(event);
  m_added = true;
}

EventBatch EventRouter::next_batch(std::uint32_t partition) {
  EventBatch batch;
  batch.key = m_key;
  batch.rules = m_rules;
  batch.partitions = partitions();
  batch.partition = partition;
  batch.number = ++m_numbers[partition];
  batch.watermark = m_watermark;  // the previous one, until the partition's last piece
  return batch;
}

std::vector<EventBatch> EventRouter::flush(std::uint64_t watermark) {
  std::vector<EventBatch> batches;
  LIKEMATCH_ASSERT(watermark >= m_watermark);
  if (!m_added && watermark == m_watermark) {
    return batches;
  }
  // m_watermark stays the previous one until every batch is made: each partition's pieces
  // carry it, its last piece the new one.
  for (std::uint32_t partition = 0; partition < partitions(); ++partition) {
    std::vector<Event>& pending = m_pending[partition];
    std::size_t at = 0;
    do {
      EventBatch batch = next_batch(partition);
      const std::size_t end = std::min(pending.size(), at + m_max_batch_events);
      batch.events.assign(pending.begin() + static_cast<std::ptrdiff_t>(at),
                          pending.begin() + static_cast<std::ptrdiff_t>(end));
      at = end;
      if (at == pending.size()) {
        batch.watermark = watermark;
      }
      batches.push_back(std::move(batch));
    } while (at < pending.size());
    pending.clear();
  }
  m_watermark = watermark;
  m_added = false;
  return batches;
}

}  // namespace likematch
