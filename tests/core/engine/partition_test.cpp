// Partition invariance (docs/scaling.md): matching partitions by the unordered pair of users,
// since events of different pairs never affect one another. N engines, each fed only the
// events of its pairs, merged by sequence number up to the lowest watermark, give exactly
// the single engine's list, under every rule variant.
//
// The test plays the distributed design of docs/scaling.md in one process: an ingest bridge
// routes each event to the partition of its pair and publishes the contiguous-prefix
// watermark W (every number up to W has arrived) to all partitions; a partition is an
// OrderedPass that holds its events until W passes them (OrderedPass::decide_through: the
// numbers it lacks are other partitions'), then matches them in sequence order; partitions
// catch up with W at their own pace; the listener bridge sends numbers up to the lowest
// watermark the partitions have reached.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/cluster/partition.hpp"
#include "core/engine/engine.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/order/ordered_pass.hpp"
#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/streams.hpp"

namespace likematch {
namespace {

using test::RecordingSink;

// One partition: its ordered pass, fed only the events of its pairs as they come, in any
// order, and decided up to the watermark the bridge computes; its decided matches.
class Partition {
 public:
  explicit Partition(const MatchRules& rules) : m_variant(variant_bit(rules)) {}

  void receive(const Event& event) {
    REQUIRE(m_pass.insert(event) == ReorderBuffer::Insert::accepted);
    ++m_events;
  }

  // Matches everything of its own up to `watermark`, in sequence order.
  void catch_up(std::uint64_t watermark) {
    const auto record = [this](const Event& event, const RuleOutcome& outcome) {
      if ((outcome.variants & m_variant) != 0) {
        m_decided.push_back(Match{event.seq, event.from, event.to, outcome.answering_seq});
      }
    };
    m_pass.decide_through(watermark, record);
    m_pass.flush(record);
    m_watermark = watermark;
  }

  // The bridge's watermark has passed every event: nothing may be left.
  void finish() { CHECK(m_pass.waiting() == 0); }

  std::uint64_t watermark() const { return m_watermark; }
  std::size_t events() const { return m_events; }
  // Decided matches not yet taken by the merge, in increasing sequence order.
  std::vector<Match>& decided() { return m_decided; }

 private:
  VariantSet m_variant;
  OrderedPass m_pass;  // all twelve variants; this partition's rules pick theirs
  std::size_t m_events = 0;
  std::vector<Match> m_decided;
  std::uint64_t m_watermark = 0;
};

// The listener bridge: what every partition has decided up to the lowest watermark, merged
// in sequence order.
using Partitions = std::vector<std::unique_ptr<Partition>>;

void merge_up_to_lowest(Partitions& partitions, std::vector<Match>& out) {
  std::uint64_t lowest = UINT64_MAX;
  for (const auto& partition : partitions) {
    lowest = std::min(lowest, partition->watermark());
  }
  std::vector<Match> ready;
  for (const auto& partition : partitions) {
    std::vector<Match>& decided = partition->decided();
    const auto end = std::find_if(decided.begin(), decided.end(),
                                  [&](const Match& match) { return match.seq > lowest; });
    ready.insert(ready.end(), decided.begin(), end);
    decided.erase(decided.begin(), end);
  }
  std::sort(ready.begin(), ready.end(),
            [](const Match& a, const Match& b) { return a.seq < b.seq; });
  for (const Match& match : ready) {
    // Numbers leave in increasing order: nothing below the watermark can come later.
    REQUIRE((out.empty() || out.back().seq < match.seq));
    out.push_back(match);
  }
}

std::vector<Match> run_partitioned(const std::vector<Event>& events, const MatchRules& rules,
                                   std::size_t count, std::uint64_t seed) {
  Random random(seed);
  Partitions partitions;
  for (std::size_t i = 0; i < count; ++i) {
    partitions.push_back(std::make_unique<Partition>(rules));
  }
  std::vector<bool> arrived(events.size() + 2, false);
  std::uint64_t watermark = 0;
  std::vector<Match> merged;
  std::size_t at = 0;
  while (at < events.size()) {
    // The bridge reads a piece of the stream, routes its events, advances the watermark.
    const std::size_t piece = 1 + random.below(64);
    for (const std::size_t end = std::min(events.size(), at + piece); at < end; ++at) {
      partitions[partition_of(events[at], static_cast<std::uint32_t>(count))]->receive(events[at]);
      arrived[events[at].seq] = true;
    }
    while (arrived[watermark + 1]) {
      ++watermark;
    }
    // Each partition hears of it at its own pace: some lag behind for a while.
    for (const auto& partition : partitions) {
      if (random.below(3) != 0) {
        partition->catch_up(watermark);
      }
    }
    merge_up_to_lowest(partitions, merged);
  }
  for (const auto& partition : partitions) {
    partition->catch_up(watermark);
    partition->finish();
    CHECK(partition->events() > 0);
  }
  merge_up_to_lowest(partitions, merged);
  for (const auto& partition : partitions) {
    CHECK(partition->decided().empty());
  }
  return merged;
}

std::vector<Match> run_single(const std::vector<Event>& events, const MatchRules& rules) {
  return test::run_engine(test::stream_text(events, test::k_lines_only), rules).matches;
}

TEST_CASE("engines partitioned by pair, merged by sequence, give the single engine's list",
          "[partition]") {
  const std::uint64_t seed = GENERATE(range(1, 9));
  const Shuffle shuffle = GENERATE(Shuffle{ShuffleKind::none, 0}, Shuffle{ShuffleKind::window, 20},
                                   Shuffle{ShuffleKind::full, 0});
  GeneratorOptions generator;
  generator.events = 3000;
  generator.users = 6 + seed * 5;  // few users: pairs recur, so likes are answered and repeated
  generator.seed = seed;
  generator.shuffle = shuffle;
  generator.self_likes = seed % 2 == 0;
  const std::vector<Event> events = generate_events(generator);

  for (const MatchRules& rules : k_rule_variants) {
    const std::vector<Match> single = run_single(events, rules);
    REQUIRE(single.size() >= 10);
    for (const std::size_t count : {1, 2, 3, 7}) {
      INFO("seed " << seed << ", shuffle " << to_string(shuffle) << ", rule "
                   << to_string(rules.rule) << (rules.once ? " --once" : "") << ", " << count
                   << " partitions");
      CHECK(run_partitioned(events, rules, count, seed * 31 + count) == single);
    }
  }
}

}  // namespace
}  // namespace likematch
