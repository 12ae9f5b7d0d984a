#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/cluster/pair_cache.hpp"
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

// What a decider reads of its store: what was committed (never the write of the message
// being applied). A read that fails says why.
class StoreReader {
 public:
  virtual ~StoreReader() = default;
  // `values[i]` is the value under `keys[i]`, nullopt when there is none.
  virtual std::optional<std::string> get(const std::vector<std::string>& keys,
                                         std::vector<std::optional<std::string>>& values) const = 0;
  // The keys in [first, last) in key order, the first `limit` of them (0: all).
  virtual std::optional<std::string> scan(
      std::string_view first, std::string_view last, std::size_t limit,
      const std::function<void(std::string_view key, std::string_view value)>& visit) const = 0;
};

// StoreContents read as a store (the tests' stand-in for RocksDB).
class ContentsReader final : public StoreReader {
 public:
  explicit ContentsReader(const StoreContents& contents) : m_contents(contents) {}
  std::optional<std::string> get(const std::vector<std::string>& keys,
                                 std::vector<std::optional<std::string>>& values) const override;
  std::optional<std::string> scan(
      std::string_view first, std::string_view last, std::size_t limit,
      const std::function<void(std::string_view key, std::string_view value)>& visit)
      const override;

 private:
  const StoreContents& m_contents;
};

// How much of a partition's state a decider holds in memory; the store holds all of it.
struct DeciderMemory {
  std::size_t pairs = 0;    // pairs' rule states at most (0: no bound)
  std::size_t waiting = 0;  // waiting events at most (0: no bound)
  // Events decided in one step at most (0: no bound): a watermark that passes more decides
  // them in several steps, each its own write and its own "decided up to".
  std::size_t step = 0;

  // What one waiting event held costs: an ordered map's node of a number and an event.
  static constexpr std::size_t k_bytes_per_waiting = 96;
  // What deciding one event costs while its step lasts: its pair's state read (a hash node),
  // its two changes to the store (erase, put) as keys and values, and the same in RocksDB's
  // WriteBatch.
  static constexpr std::size_t k_bytes_per_step_event = 256;
  // A budget of bytes (0: no bound) split between the two: most to the pairs, which a
  // session keeps coming back to (3/4); waiting events (1/8) are read back in order by a range
  // scan; a step's decisions (1/8).
  static DeciderMemory from_budget(std::size_t bytes);
};

// One partition's decisions, for `likematch worker` (docs/scaling.md): the events of its pairs
// wait until a watermark passes them, then the rules' pure step (core/engine/match/
// match_rules.hpp: a pair's PairRuleState and an event give the next state and the outcome)
// decides them in sequence order. Everything it knows is in its store: the session, the last
// applied stream sequence and batch number, the watermark decided up to, the waiting events
// and every pair's rule state (17 bytes). Memory holds the meta, and of the rest what
// DeciderMemory allows: a pair's state not held is read from the store when one of its
// events is decided (one batched read per message), waiting events not held are read back by
// a range scan up to the watermark.
//
// The contract with the caller: the write of each applied message is committed to the store
// before the next message is applied (the decider reads the store as committed), or the
// decider is restored from the store.
class PartitionDecider {
 public:
  explicit PartitionDecider(const StoreReader& store, DeciderMemory memory = {});

  // Forgets what memory holds and reads the meta (and, as memory allows, the waiting events)
  // from the store (empty: a fresh partition). nullopt, or why the store could not be read.
  std::optional<std::string> restore();

  struct Applied {
    StoreWrite write;
    // What the partition decided, when the watermark moved.
    std::optional<DecidedBatch> decided;
    // The store could not be read: nothing of the message may be committed or published,
    // and the decider must be restored before it applies anything.
    std::optional<std::string> failed;
    // The watermark passes more events than one step decides (DeciderMemory::step): once
    // this step is published and committed, apply the same message again for the next.
    bool more = false;
  };
  // Applies the message at `stream_sequence` (or its next step, see Applied::more). nullopt: it
  // was applied before (a redelivery); nothing changes. A batch other than the session's next
  // one (published twice, or ahead of an earlier one that is published again) changes only the
  // stream position.
  std::optional<Applied> apply(std::uint64_t stream_sequence, const EventBatch& batch);

  std::uint64_t applied_sequence() const { return m_applied; }
  std::uint64_t decided_up_to() const { return m_decided_up_to; }
  const SessionKey& key() const { return m_key; }
  // Waiting events, held in memory or not.
  std::size_t waiting() const { return m_waiting.size() + m_waiting_on_disk; }
  // Waiting events held in memory.
  std::size_t waiting_held() const { return m_waiting.size(); }
  // Pairs' states held in memory.
  std::size_t pairs_held() const { return m_pairs.size(); }

 private:
  void reset(const EventBatch& batch, StoreWrite& write);
  void forget_session();
  std::optional<std::string> decide_up_to(std::uint64_t watermark, StoreWrite& write,
                                          std::vector<std::uint64_t>& matches);
  std::optional<std::string> read_back_waiting(std::uint64_t watermark, std::uint64_t& bound);
  std::optional<std::string> read_pairs(std::uint64_t bound);
  void keep_waiting_within_memory();
  std::string meta() const;

  const StoreReader& m_store;
  DeciderMemory m_memory;
  SessionKey m_key;
  MatchRules m_rules;
  std::uint64_t m_applied = 0;  // the last applied stream sequence
  std::uint64_t m_batch = 0;    // the last applied batch number of the session
  std::uint64_t m_decided_up_to = 0;
  // The stream sequence of a message decided in steps, between two of them (0: none): its
  // events were stored by its first step.
  std::uint64_t m_stepping = 0;
  // The waiting events held; beyond DeciderMemory::waiting the highest numbers (decided
  // last) are left to the store alone: m_waiting_on_disk of them, none below
  // m_lowest_on_disk.
  std::map<std::uint64_t, Event> m_waiting;
  std::size_t m_waiting_on_disk = 0;
  std::uint64_t m_lowest_on_disk = 0;
  PairCache m_pairs;
  // Every pair state in the store was put in m_pairs since its last clear (a new session
  // began here, or the store had none): while nothing is evicted, a pair not held has no state,
  // and is not looked for in the store.
  bool m_pairs_whole = true;
  // The message being applied: the states of the pairs its decisions read or changed
  // (nullopt: the pair has none), ahead of the store until its write is committed; held in
  // m_pairs once it is applied.
  struct Touched {
    std::optional<PairRuleState> state;
    bool changed = false;
  };
  std::unordered_map<PairKey, Touched, PairKeyHash> m_touched;
  bool m_broken = false;  // a read failed: restore() first
};

}  // namespace likematch
