#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/engine/engine_tables.hpp"
#include "core/engine/input/event.hpp"
#include "core/engine/input/line_reader.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/stats.hpp"
#include "core/engine/warning.hpp"

namespace likematch {

// What a sink answers when asked whether the engine should read on.
enum class Flow { go_on, stop };

// Where the engine's results go. Matches arrive in increasing sequence order, each as soon
// as every smaller sequence number has been decided; everything decided before a warning
// reaches the sink before that warning.
class EngineSink {
 public:
  virtual ~EngineSink() = default;
  // The stream's first valid line (EVENT BEGIN or an event), line `line`: the session
  // begins. Stop refuses it: nothing of it is read.
  virtual Flow on_begin(std::uint64_t line) {
    (void)line;
    return Flow::go_on;
  }
  virtual void on_match(const Match& match) = 0;
  // Stop: the engine reads and decides nothing more (--strict, a failed write).
  virtual Flow on_warning(const Warning& warning) = 0;
  // An event that is a match under at least one rule variant, whether or not under the
  // engine's own rules; called before on_match. Variants beyond the engine's own rule family
  // are only computed with EngineOptions::all_variants.
  virtual void on_variant_match(const Match& match, VariantSet variants) {
    (void)match;
    (void)variants;
  }
  // Every decided event, in sequence order, after it was matched; only with
  // EngineOptions::observe_events, so that the hot path pays nothing otherwise.
  virtual void on_decided(const Event& event) { (void)event; }
};

struct EngineOptions {
  MatchRules rules;
  std::size_t max_line_length = 4096;  // not counting the line's "\r\n"
  // At most this many events may wait for an earlier sequence number; one more cuts the
  // session (everything received is still decided). 50 million take about 0.5 GiB of ring
  // and, under latest, as much of the ordered pass's list of cold events, besides their pairs.
  std::size_t max_buffered = 50'000'000;
  // Compute all four rule variants for on_variant_match, not only the family of `rules`
  // (`latest` costs a pair lookup per non-like event; see Matcher).
  bool all_variants = false;
  bool observe_events = false;  // call EngineSink::on_decided for every event
};

// How a session's input ended, as the engine saw it.
enum class EngineEnd {
  event_end,     // EVENT END was read
  input_end,     // finish() was called
  buffer_limit,  // more than EngineOptions::max_buffered events waited
};

// The streaming whole: bytes in any chunking in, matches and warnings out. One Engine reads
// one stream and runs its one session, from the first valid line to EVENT END or finish().
class Engine {
 public:
  // With a pool, the session's tables come from it (see TablePool).
  Engine(EngineOptions options, EngineSink& sink, TablePool* pool = nullptr);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void feed(std::string_view bytes);
  // The next byte begins another file of the stream (see LineReader::next_file).
  void next_file() { m_reader.next_file(); }
  // End of input: a last line without "\n" is read, then everything buffered is decided in
  // order and the missing sequence numbers are reported. Idempotent.
  void finish();

  // The first valid line was read (and the sink did not refuse it).
  bool began() const { return m_began; }
  std::optional<EngineEnd> end() const { return m_end; }
  bool ended() const { return m_end.has_value(); }
  // A sink asked to stop: nothing more is read.
  bool stopped() const { return m_stopped; }
  const Stats& stats() const { return m_stats; }
  const LineReader& reader() const { return m_reader; }
  std::size_t buffered() const { return m_tables.pass.waiting(); }

  // The tables, once the session has ended, for the next session (TablePool::give).
  EngineTables release_tables() { return std::move(m_tables); }

 private:
  // What LineReader calls for each line.
  struct Lines {
    Engine& engine;
    void on_line(std::string_view line, std::uint64_t number) { engine.on_line(line, number); }
    void on_oversized(std::uint64_t number) { engine.on_oversized(number); }
    const char* scan_line(const char* p, const char* end) { return engine.scan_line(p, end); }
    void take_scanned(std::uint64_t number) { engine.take_scanned(number); }
  };

  void on_line(std::string_view line, std::uint64_t number);
  void on_oversized(std::uint64_t number);
  const char* scan_line(const char* p, const char* end);
  void take_scanned(std::uint64_t number);
  bool begin(std::uint64_t number);
  void on_event(const Event& event, std::uint64_t number);
  void on_control_line(bool event_begin, std::uint64_t number);
  void insert_pending();
  void report(const Event& event, const RuleOutcome& outcome);
  void decide_queued();
  void flush();
  void end_session(EngineEnd end);
  void warn(WarningKind kind, std::uint64_t line, std::string message);

  // What the ordered pass calls for each event it decides (of a hot pair, or every one with
  // observe_events).
  struct Decisions {
    Engine& engine;
    void operator()(const Event& event, const RuleOutcome& outcome) const {
      engine.report(event, outcome);
    }
  };

  // Parsed events wait in m_pending until it holds k_batch (or any other kind of line comes,
  // or the feed ends) while their ring slots and pairs are prefetched: a random access into
  // the ring or the pair table costs 100-200 ns here, but the addresses are known early.
  static constexpr std::size_t k_batch = 32;
  struct PendingEvent {
    Event event;
    std::uint64_t line;
  };

  EngineOptions m_options;
  VariantSet m_variant;
  EngineSink& m_sink;
  TablePool* m_pool;
  LineReader m_reader;
  EngineTables m_tables;
  Stats m_stats;
  std::array<PendingEvent, k_batch> m_pending;
  std::size_t m_pending_count = 0;
  bool m_began = false;
  bool m_stopped = false;
  std::optional<EngineEnd> m_end;
};

}  // namespace likematch
