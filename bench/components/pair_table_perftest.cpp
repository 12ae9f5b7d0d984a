// The pair table on the pairs of a 1M-event stream in sequence order, doing what the matcher
// does with them (a like: find_or_insert, note its arrival, read the other direction, record its
// own; with `latest` tracked, every other event: find, clear its direction), side by side with
// absl::flat_hash_map and std::unordered_map doing the same operations on the same keys.
//
// Arguments: the first is 0 for rule ever only (replay's default: likes only), 1 for all rule
// variants (serve's: every event looks its pair up); the second is 1 to prefetch each pair 16
// events ahead, as the engine does (std::unordered_map has no prefetch), 0 not to. Every
// run starts from an empty table, as replay does, so growth is counted.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#ifdef LIKEMATCH_HAVE_ABSL
#include <absl/container/flat_hash_map.h>
#endif

#include "bench/components/stream.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/match/pair_table.hpp"

namespace likematch::bench {
namespace {

constexpr std::size_t k_lookahead = 16;

// A map's value, with the same view as PairTable's entries.
struct MapValue {
  std::uint64_t flags = 0;
  std::uint64_t seqs[2] = {0, 0};
};

class MapEntry {
 public:
  MapEntry() = default;
  explicit MapEntry(MapValue* value) : m_value(value) {}
  explicit operator bool() const { return m_value != nullptr; }
  std::uint8_t flags() const { return static_cast<std::uint8_t>(m_value->flags); }
  void set(std::uint8_t flags) { m_value->flags |= flags; }
  void clear(std::uint8_t flags) { m_value->flags &= ~std::uint64_t{flags}; }
  std::uint64_t seq(int direction) const { return m_value->seqs[direction]; }
  void set_seq(int direction, std::uint64_t seq) { m_value->seqs[direction] = seq; }

 private:
  MapValue* m_value = nullptr;
};

std::uint64_t map_key(std::uint64_t lo, std::uint64_t hi) {
  return lo << 32 | hi;  // the generated ids are far below 2^32
}

struct HandWritten {
  PairTable table;
  PairEntry find(std::uint64_t lo, std::uint64_t hi) { return table.find(lo, hi); }
  PairEntry find_or_insert(std::uint64_t lo, std::uint64_t hi) {
    return table.find_or_insert(lo, hi);
  }
  void prefetch(std::uint64_t lo, std::uint64_t hi, bool for_update) const {
    table.prefetch(lo, hi, for_update);
  }
  std::size_t size() const { return table.size(); }
};

template <typename Map>
struct MapTable {
  Map map;
  MapEntry find(std::uint64_t lo, std::uint64_t hi) {
    const auto it = map.find(map_key(lo, hi));
    return it == map.end() ? MapEntry{} : MapEntry{&it->second};
  }
  MapEntry find_or_insert(std::uint64_t lo, std::uint64_t hi) {
    return MapEntry{&map[map_key(lo, hi)]};
  }
  void prefetch(std::uint64_t lo, std::uint64_t hi, bool) const {
    if constexpr (requires { map.prefetch(map_key(lo, hi)); }) {
      map.prefetch(map_key(lo, hi));
    }
  }
  std::size_t size() const { return map.size(); }
};

// What Matcher does with the table: the rules of match_rules.hpp (a like's arrival, then its
// decision), ever and latest, without the filters.
struct Result {
  std::uint64_t matches = 0;
  std::uint64_t answered = 0;  // the sum of the answered likes' sequence numbers
};

template <typename Table>
Result run_stream(Table& table, const std::vector<Event>& events, bool latest, bool prefetch) {
  Result result;
  const std::size_t n = events.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (prefetch && i + k_lookahead < n) {
      const Event& ahead = events[i + k_lookahead];
      if (latest || ahead.type == LikeType::liked) {
        table.prefetch(std::min(ahead.from, ahead.to), std::max(ahead.from, ahead.to),
                       ahead.type == LikeType::liked);
      }
    }
    const Event& event = events[i];
    const PairSide side = pair_side(event);
    if (event.type != LikeType::liked) {
      if (latest) {
        if (auto entry = table.find(side.lo, side.hi)) {
          pair_rules::withdraw(entry, side.own);
        }
      }
      continue;
    }
    auto entry = table.find_or_insert(side.lo, side.hi);
    // In sequence order a like arrives just before it is decided; the rules rely on the
    // arrival being noted first (a match needs both likes arrived).
    pair_rules::arrive_like(entry, side.own, side.lo == side.hi);
    const RuleOutcome outcome = pair_rules::like(entry, side.own, side.back, event.seq, latest);
    if ((outcome.variants & literal_bits::ever) != 0) {
      ++result.matches;
      result.answered += outcome.answering_seq;  // a match reads what it answers
    }
  }
  return result;
}

template <typename Table>
void BM_Pairs(benchmark::State& state) {
  const std::vector<Event>& events = ordered_events();
  const bool latest = state.range(0) != 0;
  const bool prefetch = state.range(1) != 0;
  Result result;
  std::size_t pairs = 0;
  for (auto _ : state) {
    auto table = std::make_unique<Table>();
    result = run_stream(*table, events, latest, prefetch);
    pairs = table->size();
    benchmark::DoNotOptimize(result);
    state.PauseTiming();
    table.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
  state.counters["pairs"] = static_cast<double>(pairs);
  state.counters["ever_matches"] = static_cast<double>(result.matches);
  state.counters["answered_sum"] = static_cast<double>(result.answered);
}

void both_modes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"latest", "prefetch"});
  for (int latest : {0, 1}) {
    for (int prefetch : {0, 1}) {
      b->Args({latest, prefetch});
    }
  }
  b->Unit(benchmark::kMillisecond);
}

// Named types, so that the report says which table it measured in one word.
#ifdef LIKEMATCH_HAVE_ABSL
struct AbslFlatHashMap : MapTable<absl::flat_hash_map<std::uint64_t, MapValue>> {};
#endif
struct StdUnorderedMap : MapTable<std::unordered_map<std::uint64_t, MapValue>> {};

BENCHMARK_TEMPLATE(BM_Pairs, HandWritten)->Apply(both_modes);
#ifdef LIKEMATCH_HAVE_ABSL
BENCHMARK_TEMPLATE(BM_Pairs, AbslFlatHashMap)->Apply(both_modes);
#endif
BENCHMARK_TEMPLATE(BM_Pairs, StdUnorderedMap)->Apply(both_modes);

}  // namespace
}  // namespace likematch::bench
