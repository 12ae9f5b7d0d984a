// The partitioned matching of serve --jetstream and worker (docs/scaling.md), end to end in
// one process with an in-memory transport: the ingest side routes events (in arrival order,
// first copy of each number) with EventRouter and publishes the contiguous-prefix watermark;
// each partition's messages sit in a list standing for its stream, with the copies and the
// order a failed asynchronous publish leaves; PartitionDeciders read
// them at their own pace, are killed and restored from their store at random points (before
// and after committing), and read messages again; the merge sends numbers up to the lowest
// decided watermark. The list must be the embedded engine's, in increasing order, each once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/cluster/decided_merge.hpp"
#include "core/cluster/event_router.hpp"
#include "core/cluster/partition_decider.hpp"
#include "core/cluster/wire.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/streams.hpp"

namespace likematch {
namespace {

// One partition's worker: its store survives a kill, its memory does not.
struct Worker {
  explicit Worker(DeciderMemory held) : decider(reader, held), memory(held) {}

  StoreContents store;
  ContentsReader reader{store};
  PartitionDecider decider;
  DeciderMemory memory;
  std::uint64_t next = 1;  // the stream sequence its consumer reads next (1-based)

  void restart() {
    REQUIRE_FALSE(decider.restore());
    next = decider.applied_sequence() + 1;  // the ordered consumer's start sequence
  }

  // What memory holds stays within its bound, whatever the session's size.
  void check_memory() const {
    if (memory.pairs != 0) {
      REQUIRE(decider.pairs_held() <= memory.pairs);
    }
    if (memory.waiting != 0) {
      REQUIRE(decider.waiting_held() <= memory.waiting);
    }
  }
};

struct Run {
  std::vector<std::uint64_t> sent;
  bool complete = false;
  std::size_t steps = 0;  // messages decided in more than one step, and their steps
};

class Pipeline {
 public:
  // `memory`: what each worker's decider may hold (DeciderMemory{}: everything).
  Pipeline(std::uint32_t partitions, std::uint64_t seed, DeciderMemory memory = {})
      : m_router(partitions, 7), m_merge(partitions), m_random(seed), m_streams(partitions) {
    for (std::uint32_t k = 0; k < partitions; ++k) {
      m_workers.push_back(std::make_unique<Worker>(memory));
    }
  }

  Run run(const std::vector<Event>& arrivals, const MatchRules& rules, const SessionKey& key) {
    Run result;
    m_router.begin(key, rules);
    m_merge.begin(key);
    std::set<std::uint64_t> arrived;
    std::uint64_t watermark = 0;
    std::uint64_t highest = 0;
    std::size_t at = 0;
    while (at < arrivals.size()) {
      const std::size_t piece = 1 + m_random.below(40);
      for (const std::size_t end = std::min(arrivals.size(), at + piece); at < end; ++at) {
        const Event& event = arrivals[at];
        if (arrived.insert(event.seq).second) {  // serve's engine drops later copies
          m_router.add(event);
          highest = std::max(highest, event.seq);
        }
      }
      while (arrived.count(watermark + 1) != 0) {
        ++watermark;
      }
      publish(m_router.flush(watermark));
      work(result, /*all=*/false);
    }
    // The input ended: numbers that never came are passed over, as the engine does.
    publish(m_router.flush(highest));
    m_merge.input_ended(highest);
    work(result, /*all=*/true);
    result.complete = m_merge.complete();
    return result;
  }

 private:
  // As serve's client publishes without waiting (io::JetStream::publish_async): a batch whose
  // publish failed is published again with every later one of its partition, so the stream
  // holds the later ones first (the failed one was lost) or twice (it was stored, its
  // acknowledgement lost).
  void publish(const std::vector<EventBatch>& batches) {
    std::vector<std::vector<std::string>> flushed(m_streams.size());
    for (const EventBatch& batch : batches) {
      flushed[batch.partition].push_back(encode(batch));
    }
    for (std::size_t k = 0; k < flushed.size(); ++k) {
      const std::vector<std::string>& mine = flushed[k];
      std::vector<std::string>& stream = m_streams[k];
      if (mine.empty()) {
        continue;
      }
      const std::size_t failed = m_random.below(mine.size());
      const auto from = mine.begin() + static_cast<std::ptrdiff_t>(failed);
      switch (m_random.below(8)) {
        case 0:  // lost, the later ones stored
          stream.insert(stream.end(), mine.begin(), from);
          stream.insert(stream.end(), from + 1, mine.end());
          break;
        case 1:  // stored, its acknowledgement lost
          stream.insert(stream.end(), mine.begin(), mine.end());
          break;
        default:
          stream.insert(stream.end(), mine.begin(), mine.end());
          continue;
      }
      stream.insert(stream.end(), from, mine.end());
    }
  }

  // Each worker reads some of its stream (all of it with `all`), sometimes killed.
  void work(Run& result, bool all) {
    for (std::uint32_t k = 0; k < m_workers.size(); ++k) {
      Worker& worker = *m_workers[k];
      while (worker.next <= m_streams[k].size() && (all || m_random.below(4) != 0)) {
        const std::uint64_t sequence = worker.next;
        std::string error;
        const auto batch = decode_event_batch(m_streams[k][sequence - 1], error);
        REQUIRE(batch);
        const auto applied = worker.decider.apply(sequence, *batch);
        REQUIRE(applied);
        const int fate = static_cast<int>(m_random.below(20));
        if (fate == 0) {
          worker.restart();  // killed before publishing or committing
          continue;
        }
        if (applied->decided) {
          deliver(result, *applied->decided);
        }
        if (fate == 1) {
          worker.restart();  // killed after publishing, before committing: decides it again
          continue;
        }
        REQUIRE_FALSE(applied->failed);
        apply_write(worker.store, applied->write);
        worker.check_memory();
        if (applied->more) {
          ++result.steps;  // the same message again, for its next step
        } else {
          ++worker.next;
        }
        if (fate == 2) {
          worker.restart();  // killed after committing
        } else if (fate == 3 && sequence > 1) {
          // The consumer delivers an earlier message again: applied once.
          REQUIRE_FALSE(worker.decider.apply(sequence - 1, *batch));
        }
      }
    }
  }

  void deliver(Run& result, const DecidedBatch& decided) {
    std::string error;
    const auto batch = decode_decided_batch(encode(decided), error);
    REQUIRE(batch);
    for (const std::uint64_t number : m_merge.take(*batch)) {
      REQUIRE((result.sent.empty() || result.sent.back() < number));
      result.sent.push_back(number);
    }
  }

  EventRouter m_router;
  DecidedMerge m_merge;
  Random m_random;
  std::vector<std::vector<std::string>> m_streams;
  std::vector<std::unique_ptr<Worker>> m_workers;
};

// Some numbers missing, some sent twice (once with other content), as the harness might.
std::vector<Event> with_gaps_and_duplicates(std::vector<Event> events, Random& random) {
  std::vector<Event> out;
  for (const Event& event : events) {
    if (random.below(50) == 0) {
      continue;
    }
    out.push_back(event);
    if (random.below(60) == 0) {
      Event copy = event;
      copy.from += random.below(2);
      out.push_back(copy);
    }
  }
  return out;
}

std::vector<std::uint64_t> embedded_list(const std::vector<Event>& events,
                                         const MatchRules& rules) {
  return test::seqs(test::run_engine(test::stream_text(events, test::k_lines_only), rules).matches);
}

// The workers' memory: unbounded, or so small that states leave it all the time (one pair's
// state and one waiting event held: every other one is read back from the store; three
// events decided per step).
const DeciderMemory k_unbounded{};
const DeciderMemory k_tiny{1, 1, 3};

TEST_CASE("partitions decided by restarted workers give the embedded engine's list", "[cluster]") {
  const std::uint64_t seed = GENERATE(range(1, 5));
  const DeciderMemory memory = GENERATE(k_unbounded, k_tiny);
  const Shuffle shuffle = GENERATE(Shuffle{ShuffleKind::none, 0}, Shuffle{ShuffleKind::window, 20},
                                   Shuffle{ShuffleKind::full, 0});
  GeneratorOptions generator;
  generator.events = 1500;
  generator.users = 6 + seed * 5;
  generator.seed = seed;
  generator.shuffle = shuffle;
  generator.self_likes = seed % 2 == 0;
  Random random(seed);
  const std::vector<Event> events = with_gaps_and_duplicates(generate_events(generator), random);

  for (const MatchRules& rules : k_rule_variants) {
    const std::vector<std::uint64_t> expected = embedded_list(events, rules);
    REQUIRE(expected.size() >= 10);
    for (const std::uint32_t partitions : {1U, 2U, 3U, 8U}) {
      INFO("seed " << seed << ", shuffle " << to_string(shuffle) << ", rule "
                   << to_string(rules.rule) << (rules.once ? " --once" : "") << ", self-likes "
                   << to_string(rules.self_likes) << ", " << partitions << " partitions, "
                   << memory.pairs << " pairs and " << memory.waiting << " events held");
      Pipeline pipeline(partitions, seed * 131 + partitions, memory);
      const Run run = pipeline.run(events, rules, SessionKey{seed, 1});
      CHECK(run.complete);
      CHECK(run.sent == expected);
      if (memory.step != 0) {
        CHECK(run.steps > 0);  // the watermark passed more than a step's events at times
      }
    }
  }
}

TEST_CASE("two sessions in a row on the same streams are kept apart", "[cluster]") {
  GeneratorOptions generator;
  generator.events = 800;
  generator.users = 20;
  generator.seed = 5;
  generator.shuffle = Shuffle{ShuffleKind::full, 0};
  const std::vector<Event> first = generate_events(generator);
  generator.seed = 6;
  const std::vector<Event> second = generate_events(generator);
  const MatchRules rules;
  const DeciderMemory memory = GENERATE(k_unbounded, k_tiny);
  Pipeline pipeline(3, 9, memory);
  CHECK(pipeline.run(first, rules, SessionKey{77, 1}).sent == embedded_list(first, rules));
  CHECK(pipeline.run(second, rules, SessionKey{77, 2}).sent == embedded_list(second, rules));
}

}  // namespace
}  // namespace likematch
