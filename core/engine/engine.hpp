#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/engine/warning.hpp"
#include "core/engine/event.hpp"
#include "core/engine/line_reader.hpp"
#include "core/engine/matcher.hpp"
#include "core/engine/reorder_buffer.hpp"
#include "core/engine/match_rules.hpp"
#include "core/engine/stats.hpp"

namespace likematch {

// Where the engine's results go. Matches arrive in increasing sequence order, each as soon
// as every smaller sequence number has been decided.
class EngineSink {
 public:
  virtual ~EngineSink() = default;
  virtual void on_match(const Match& match) = 0;
  virtual void on_diagnostic(const Diagnostic& diagnostic) = 0;
  // An event that is a match under at least one rule variant (Matcher::Variant bits), whether
  // or not under the engine's own rules; called before on_match. For comparing the rules:
  // the latest bits are only computed with EngineOptions::all_variants or rule latest.
  virtual void on_candidate(const Match& match, std::uint8_t variants) {
    (void)match;
    (void)variants;
  }
  // Every decided event, in sequence order, after it was matched; only with
  // EngineOptions::observe_events, so that the hot path pays nothing otherwise.
  virtual void on_decided(const Event& event) { (void)event; }
};

struct EngineOptions {
  MatchRules rules;
  std::size_t max_line_length = 4096;
  bool observe_events = false;  // call EngineSink::on_decided for every event
  // Compute all four rule variants for on_candidate, not only the family of `rules`
  // (`latest` costs a pair lookup per non-like event; see Matcher).
  bool all_variants = false;
  // At most this many events may wait for an earlier sequence number; one more cuts the
  // session (everything received is still decided). 50 million keep the process near 1 GiB.
  std::size_t max_buffered = 50'000'000;
};

// The streaming whole: bytes in any chunking in, matches and diagnostics out. One Engine is
// one session: it ends at EVENT END or at finish(), whichever comes first.
class Engine {
 public:
  Engine(EngineOptions options, EngineSink& sink);
  // A new session on the tables of a spent engine: behaves exactly as Engine(options, sink)
  // (every other member is made afresh), but the reorder ring and the pair table keep the
  // memory they grew to, so the stream does not fault it in and grow into it again. The
  // tables are emptied here unless recycle() already did; `spent` is left with empty ones.
  Engine(EngineOptions options, EngineSink& sink, Engine&& spent);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void feed(std::string_view bytes);
  // The next byte begins a new part of the stream (replay's next file): like the stream's
  // start, it may open with a UTF-8 byte order mark, which is skipped. Only between lines.
  void start_part() { m_at_start = true; }
  // End of input: a last line without '\n' is read, then everything buffered is decided in
  // order and the missing sequence numbers are reported. Idempotent.
  void finish();

  // EVENT END was read or finish() was called: the session's matches are all out.
  bool ended() const { return m_ended; }
  const Stats& stats() const { return m_stats; }
  std::size_t buffered() const { return m_buffer.size(); }

  // Empties the tables now, keeping their memory, so that constructing the next engine from
  // this one costs nothing (a memset of the pair table, 12 MB for 1M events, otherwise lands
  // at the next session's start). The engine must not be fed afterwards; stats() stay.
  void recycle();
  // The memory held by the tables, to decide whether it is worth keeping idle.
  std::size_t table_bytes() const { return m_buffer.memory_bytes() + m_matcher.memory_bytes(); }

 private:
  void feed_lines(std::string_view bytes);
  void feed_complete_lines(std::string_view lines);
  void on_line(std::string_view line, std::uint64_t number);
  void on_oversized(std::uint64_t number);
  void queue_pending();
  void insert_pending();
  void push_ready(const Event& event);
  void decide_ready();
  void on_event(const Event& event, std::uint64_t number);
  void on_control(bool begin, std::uint64_t number);
  void decide(const Event& event);
  void end_session();
  void warn_after_end(std::uint64_t line);
  void warn(DiagnosticKind kind, std::uint64_t line, std::string message);

  // Work is done a little ahead so that memory loads overlap: a random access into the ring
  // or the pair table costs 100-200 ns here, but the addresses are known early. Parsed
  // events wait in m_pending until it holds k_batch (or any other kind of line comes, or the
  // feed ends) while their ring slots are prefetched. Events the ring hands out enter m_ready
  // with their pairs prefetched and are decided k_lookahead events later: a steady distance
  // beat prefetching a whole batch and then deciding it (10M events: 1.9 -> 1.4 s), which
  // asked for more lines at once than the core can have in flight. Both are emptied, in
  // order, before any result leaves the engine, so the sink sees exactly the order of
  // one-at-a-time processing.
  static constexpr std::size_t k_batch = 32;
  static constexpr std::size_t k_lookahead = 16;
  struct PendingEvent {
    Event event;
    std::uint64_t line;
  };

  EngineOptions m_options;
  std::uint8_t m_variant;
  EngineSink& m_sink;
  LineSplitter m_splitter;
  ReorderBuffer m_buffer;
  Matcher m_matcher;
  Stats m_stats;
  std::array<PendingEvent, k_batch> m_pending;
  std::size_t m_pending_count = 0;
  std::array<Event, k_batch> m_ready;
  std::size_t m_ready_head = 0;  // m_ready is a ring: the oldest event
  std::size_t m_ready_count = 0;
  bool m_began = false;  // EVENT BEGIN or an event was read
  bool m_ended = false;
  // At the start of the stream or of a part: a UTF-8 byte order mark may be skipped.
  bool m_at_start = true;
};

}  // namespace likematch
