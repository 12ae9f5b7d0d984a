// The reorder ring: inserting a stream in arrival order with the engine's drain after each
// event, and the burst at the end of a fully shuffled stream (every event waits for number 1,
// then all of them are drained at once: the ordering part of the tail).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench/components/stream.hpp"
#include "core/engine/order/reorder_buffer.hpp"
#include "core/harness/generator.hpp"

namespace likematch::bench {
namespace {

const std::vector<Event>& events_for(std::int64_t shuffle) {
  static const std::vector<Event> window = [] {
    GeneratorOptions options;
    options.events = k_events;
    options.users = 9000;  // as bench/run.sh's 1M file
    options.shuffle = Shuffle{ShuffleKind::window, 100};
    return generate_events(options);
  }();
  switch (shuffle) {
    case 0:
      return ordered_events();
    case 1:
      return window;
    default:
      return shuffled_events();
  }
}

// What was handed out: a count, and a sum of what was read so that the reading stays.
struct Drained {
  std::uint64_t count = 0;
  std::uint64_t sum = 0;
};

// Hands out what is ready into `drained`.
void drain(ReorderBuffer& buffer, Drained& drained) {
  buffer.drain_ready([&drained](const Event& ready) {
    ++drained.count;
    drained.sum += ready.from;
  });
}

// Every event must have been handed out, or the run measured something else.
void check_all_out(benchmark::State& state, const Drained& drained, std::size_t events) {
  benchmark::DoNotOptimize(drained.sum);
  if (drained.count != events) {
    state.SkipWithError("not everything was handed out");
  }
}

// Argument: 0 in order, 1 window:100, 2 fully shuffled. `fresh`: a new buffer per run (its
// memory faulted in and grown, as replay's), otherwise one cleared buffer (as serve's).
void insert_and_drain(benchmark::State& state, bool fresh) {
  const std::vector<Event>& events = events_for(state.range(0));
  ReorderBuffer kept;
  for (auto _ : state) {
    ReorderBuffer fresh_buffer;
    ReorderBuffer& buffer = fresh ? fresh_buffer : kept;
    Drained drained;
    for (const Event& event : events) {
      buffer.insert(event);
      drain(buffer, drained);
    }
    check_all_out(state, drained, events.size());
    state.PauseTiming();
    if (fresh) {
      fresh_buffer = ReorderBuffer();
    } else {
      kept.clear();
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}

void BM_Reorder_InsertDrain_Fresh(benchmark::State& state) {
  insert_and_drain(state, true);
}
void BM_Reorder_InsertDrain_Reused(benchmark::State& state) {
  insert_and_drain(state, false);
}
BENCHMARK(BM_Reorder_InsertDrain_Fresh)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Reorder_InsertDrain_Reused)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

// The burst: everything but number 1 is buffered (not timed), then number 1 arrives and the
// whole stream is handed out in order (timed).
void BM_Reorder_FinalDrain(benchmark::State& state) {
  const std::vector<Event>& events = shuffled_events();
  ReorderBuffer buffer;
  Event first;
  for (auto _ : state) {
    state.PauseTiming();
    buffer.clear();
    for (const Event& event : events) {
      if (event.seq == 1) {
        first = event;
      } else {
        buffer.insert(event);
      }
    }
    state.ResumeTiming();
    Drained drained;
    buffer.insert(first);
    drain(buffer, drained);
    check_all_out(state, drained, events.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}
BENCHMARK(BM_Reorder_FinalDrain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace likematch::bench
