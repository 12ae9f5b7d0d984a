#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/cluster/wire.hpp"
#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"

namespace likematch {

// What one applied message changes in a partition's store, written at once (a RocksDB
// WriteBatch), so that the state and the stream position it stands for never part.
// Applied in order.
struct StoreOp {
  enum class Kind { put, erase, erase_range };
  Kind kind = Kind::put;
  std::string key;
  std::string value;  // put: the value; erase_range: the end of [key, value)
};
using StoreWrite = std::vector<StoreOp>;

// The partition's store as key-value pairs in key order; a test's in-memory store and
// RocksDB apply the same StoreWrite.
using StoreContents = std::map<std::string, std::string>;
void apply_write(StoreContents& contents, const StoreWrite& write);

// One partition's decisions, for `likematch worker` (docs/scaling.md): the events of its pairs
// wait until a watermark passes them, then the rules' pure step (core/engine/match/
// match_rules.hpp: a pair's PairRuleState and an event give the next state and the outcome)
// decides them in sequence order. Everything it knows is in its store: the session, the last
// applied stream sequence and batch number, the watermark decided up to, the waiting events
// and every pair's rule state (17 bytes); memory holds a copy of the same.
class PartitionDecider {
 public:
  // From a store's contents (empty: a fresh partition).
  void restore(const StoreContents& contents);

  struct Applied {
    StoreWrite write;
    // What the partition decided, when the watermark moved.
    std::optional<DecidedBatch> decided;
  };
  // Applies the message at `stream_sequence`. nullopt: it was applied before (a redelivery);
  // nothing changes. A batch other than the session's next one (published twice, or ahead of
  // an earlier one that is published again) changes only the stream position.
  std::optional<Applied> apply(std::uint64_t stream_sequence, const EventBatch& batch);

  std::uint64_t applied_sequence() const { return m_applied; }
  std::uint64_t decided_up_to() const { return m_decided_up_to; }
  const SessionKey& key() const { return m_key; }
  std::size_t waiting() const { return m_waiting.size(); }

 private:
  void reset(const EventBatch& batch, StoreWrite& write);
  std::vector<std::uint64_t> decide_up_to(std::uint64_t watermark, StoreWrite& write);
  std::string meta() const;

  SessionKey m_key;
  MatchRules m_rules;
  std::uint64_t m_applied = 0;  // the last applied stream sequence
  std::uint64_t m_batch = 0;    // the last applied batch number of the session
  std::uint64_t m_decided_up_to = 0;
  std::map<std::uint64_t, Event> m_waiting;
  struct PairKey {
    std::uint64_t lo;
    std::uint64_t hi;
    friend bool operator==(const PairKey&, const PairKey&) = default;
  };
  struct PairHash {
    std::size_t operator()(const PairKey& key) const;
  };
  std::unordered_map<PairKey, PairRuleState, PairHash> m_pairs;
};

}  // namespace likematch
