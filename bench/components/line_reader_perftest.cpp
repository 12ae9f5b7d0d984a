// Line reading: LineReader with the engine's fast path (read_event_line in place), against
// read_event_line alone and the general parse_line, over the same 1M-line buffer (31 MB).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "bench/components/stream.hpp"
#include "core/engine/input/line_parser.hpp"
#include "core/engine/input/line_reader.hpp"

namespace likematch::bench {
namespace {

// What the engine gives LineReader, less the engine: counts what it reads.
struct CountingLines {
  Event event;
  std::uint64_t events = 0;
  std::uint64_t sum = 0;
  void on_line(std::string_view line, std::uint64_t) {
    if (parse_common_event(line, event)) {
      take_scanned(0);
    }
  }
  void on_oversized(std::uint64_t) {}
  const char* scan_line(const char* p, const char* end) { return read_event_line(p, end, event); }
  void take_scanned(std::uint64_t) {
    ++events;
    sum += event.seq ^ event.from;
  }
};

void set_rates(benchmark::State& state, std::uint64_t lines, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}

// As serve feeds it: pieces of the size its reads return (argument: bytes per piece).
void BM_LineReader_EventLines(benchmark::State& state) {
  const std::string& text = shuffled_text();
  const auto piece = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    LineReader reader(4096);
    CountingLines lines;
    for (std::size_t at = 0; at < text.size(); at += piece) {
      reader.feed(std::string_view(text).substr(at, piece), lines);
    }
    reader.finish(lines);
    benchmark::DoNotOptimize(lines.sum);
    if (lines.events != k_events) {
      state.SkipWithError("wrong number of events");
    }
  }
  set_rates(state, k_events, text.size());
}
BENCHMARK(BM_LineReader_EventLines)->Arg(64 << 10)->Arg(1 << 20)->Unit(benchmark::kMillisecond);

// The parser alone, line after line over the whole buffer.
void BM_ReadEventLine(benchmark::State& state) {
  const std::string& text = shuffled_text();
  for (auto _ : state) {
    Event event;
    std::uint64_t sum = 0;
    const char* p = text.data();
    const char* const end = text.data() + text.size();
    while (p != end) {
      p = read_event_line(p, end, event);
      sum += event.seq ^ event.from;
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rates(state, k_events, text.size());
}
BENCHMARK(BM_ReadEventLine)->Unit(benchmark::kMillisecond);

// The general path (a variant per line), which only unusual lines take.
void BM_ParseLine(benchmark::State& state) {
  const std::string& text = shuffled_text();
  for (auto _ : state) {
    std::uint64_t sum = 0;
    std::size_t at = 0;
    while (at < text.size()) {
      const std::size_t end = text.find('\n', at);
      const ParsedLine parsed = parse_line(std::string_view(text).substr(at, end - at));
      sum += std::get<Event>(parsed).seq;
      at = end + 1;
    }
    benchmark::DoNotOptimize(sum);
  }
  set_rates(state, k_events, text.size());
}
BENCHMARK(BM_ParseLine)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace likematch::bench
