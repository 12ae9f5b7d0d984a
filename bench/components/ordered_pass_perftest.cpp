// The ordered pass: the 1M stream inserted in arrival order with a decision after each event
// (OrderedPass::insert then decide_ready, as the engine makes them), then sealed; from a
// cleared pass each run (as serve's pooled tables). In order, most cold events are applied at
// once; fully shuffled, nearly everything is decided after the last line, through the
// hot/cold split and the list of cold events (the tail's part inside the engine).
//
// First argument: 0 in order, 1 fully shuffled. Second: 0 rule ever only (replay's default),
// 1 all variants (serve's).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bench/components/stream.hpp"
#include "core/engine/order/ordered_pass.hpp"

namespace likematch::bench {
namespace {

void BM_OrderedPass_InsertDecide(benchmark::State& state) {
  const std::vector<Event>& events = state.range(0) == 0 ? ordered_events() : shuffled_events();
  const bool latest = state.range(1) != 0;
  OrderedPass pass(latest);
  std::uint64_t matches = 0;
  const auto count = [&](const Event&, const RuleOutcome& outcome) {
    matches += outcome.variants != 0 ? 1 : 0;
  };
  for (auto _ : state) {
    matches = 0;
    for (const Event& event : events) {
      pass.insert(event);
      pass.decide_ready(count);
    }
    pass.seal(count);
    benchmark::DoNotOptimize(matches);
    if (pass.decided() != events.size()) {
      state.SkipWithError("not every event was decided");
    }
    state.PauseTiming();
    pass.reset(latest);
    state.ResumeTiming();
  }
  state.counters["matches"] = static_cast<double>(matches);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_OrderedPass_InsertDecide)
    ->ArgsProduct({{0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace likematch::bench
