#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/cluster/wire.hpp"
#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"

namespace likematch {

// serve --jetstream's ingest side (docs/scaling.md): routes a session's events to the
// partitions of their pairs and cuts them into batches, each partition's last batch carrying
// the watermark, so that a partition reads the watermark after every event of its own that
// it covers.
class EventRouter {
 public:
  EventRouter(std::uint32_t partitions, std::size_t max_batch_events);

  // A new session: batch numbers and the watermark start again.
  void begin(const SessionKey& key, const MatchRules& rules);
  // An event of the session, in any order: a flush publishes a watermark W only once every
  // event up to W was added.
  void add(const Event& event);
  // The batches to publish now, every partition's in order: its events added since the last
  // flush, in pieces of at most max_batch_events, the last piece carrying `watermark`; a
  // partition without events gets an empty batch when the watermark moved. Nothing when
  // nothing was added and the watermark did not move.
  std::vector<EventBatch> flush(std::uint64_t watermark);

  std::uint32_t partitions() const { return static_cast<std::uint32_t>(m_pending.size()); }
  const SessionKey& key() const { return m_key; }

 private:
  EventBatch next_batch(std::uint32_t partition);

  std::size_t m_max_batch_events;
  SessionKey m_key;
  MatchRules m_rules;
  std::uint64_t m_watermark = 0;
  std::vector<std::vector<Event>> m_pending;  // per partition
  std::vector<std::uint64_t> m_numbers;       // per partition: the last batch's number
  bool m_added = false;
};

}  // namespace likematch
