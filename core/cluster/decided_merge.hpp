#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/cluster/wire.hpp"

namespace likematch {

// serve --jetstream's listener side (docs/scaling.md): the partitions' decided batches in,
// the session's match numbers out, in increasing order, each once, and none above the lowest
// "decided up to" of all partitions, since a partition that lags may still add a smaller one.
class DecidedMerge {
 public:
  explicit DecidedMerge(std::uint32_t partitions);

  // A new session: batches of any other session are ignored from now on.
  void begin(const SessionKey& key);
  // The session's input has ended; every event up to `final_watermark` was published.
  void input_ended(std::uint64_t final_watermark);
  // The numbers `batch` makes ready, in increasing order. A batch of another session, or one
  // not beyond what its partition already said (a worker that restarted and published again),
  // changes nothing.
  std::vector<std::uint64_t> take(const DecidedBatch& batch);

  // The input has ended and every partition decided all of it: the list is whole.
  bool complete() const;
  std::uint64_t lowest() const;
  std::uint64_t decided_up_to(std::uint32_t partition) const { return m_decided[partition]; }
  const SessionKey& key() const { return m_key; }

 private:
  std::vector<std::uint64_t> ready();

  SessionKey m_key;
  std::vector<std::uint64_t> m_decided;            // per partition
  std::vector<std::vector<std::uint64_t>> m_held;  // per partition, above the lowest
  std::optional<std::uint64_t> m_final;
};

}  // namespace likematch
