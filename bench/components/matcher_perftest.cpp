// The per-pair rule state machine alone: every event of the 1M stream arrives and is decided
// in sequence order (Matcher::arrive then Matcher::decide, the pair prefetched 16 events
// ahead as the ordered pass does), from a cleared matcher each run (as serve's pooled tables).
//
// Argument: 0 tracks rule ever only (replay's default: non-likes change nothing), 1 all
// variants (serve's: a non-like withdraws under latest).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench/components/stream.hpp"
#include "core/engine/match/matcher.hpp"

namespace likematch::bench {
namespace {

constexpr std::size_t k_lookahead = 16;

void BM_Matcher_ArriveDecide(benchmark::State& state) {
  const std::vector<Event>& events = ordered_events();
  const bool latest = state.range(0) != 0;
  Matcher matcher(latest);
  std::uint64_t matches = 0;
  for (auto _ : state) {
    matches = 0;
    const std::size_t n = events.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + k_lookahead < n) {
        matcher.prefetch(events[i + k_lookahead]);
      }
      matcher.arrive(events[i]);
      matches += matcher.decide(events[i]).variants != 0 ? 1 : 0;
    }
    benchmark::DoNotOptimize(matches);
    state.PauseTiming();
    matcher.reset(latest);
    state.ResumeTiming();
  }
  state.counters["matches"] = static_cast<double>(matches);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_Matcher_ArriveDecide)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace likematch::bench
