#include "core/engine/engine.hpp"

#include <fmt/format.h>

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/engine/input/line_parser.hpp"

namespace likematch {

namespace {

// How many runs of missing sequence numbers the end-of-input warning spells out.
constexpr int k_gap_runs_shown = 5;

std::string format_run(std::uint64_t first, std::uint64_t last) {
  return first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
}

bool tracks_latest(const EngineOptions& options) {
  return options.all_variants || options.rules.rule == Rule::latest;
}

}  // namespace

Engine::Engine(EngineOptions options, EngineSink& sink, TablePool* pool)
    : m_options(options),
      m_variant(variant_bit(options.rules)),
      m_sink(sink),
      m_pool(pool),
      m_reader(options.max_line_length) {
  m_tables.pass.reset(tracks_latest(m_options), m_options.observe_events);
}

void Engine::feed(std::string_view bytes) {
  if (m_stopped) {
    return;
  }
  Lines lines{*this};
  m_reader.feed(bytes, lines);
  flush();
  m_stats.lines = m_reader.lines();
}

void Engine::finish() {
  if (m_stopped) {
    return;
  }
  Lines lines{*this};
  m_reader.finish(lines);
  m_stats.lines = m_reader.lines();
  if (!m_stopped) {
    flush();  // a last line without "\n" may have been an event
    end_session(EngineEnd::input_end);
  }
}

// The fast path for the complete lines inside a feed, once the session has begun: an event
// in the common form is read where it lies into the next pending slot; anything else is left
// to on_line.
const char* Engine::scan_line(const char* p, const char* end) {
  if (!m_began || m_end || m_stopped) {
    return nullptr;
  }
  return read_event_line(p, end, m_pending[m_pending_count].event);
}

void Engine::take_scanned(std::uint64_t number) {
  PendingEvent& pending = m_pending[m_pending_count];
  pending.line = number;
  m_tables.pass.prefetch_insert(pending.event);
  if (++m_pending_count == k_batch) {
    insert_pending();
  }
}

void Engine::on_line(std::string_view line, std::uint64_t number) {
  if (m_stopped) {
    return;
  }
  // Not through parse_line's variant: building and copying it cost more than parsing.
  if (m_began && !m_end && parse_common_event(line, m_pending[m_pending_count].event)) {
    take_scanned(number);
    return;
  }
  flush();
  const ParsedLine parsed = parse_line(line);
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, EmptyLine>) {
          return;
        } else if (m_end) {
          ++m_stats.after_end;
          warn(WarningKind::after_end, number,
               *m_end == EngineEnd::buffer_limit ? "line after the session was cut"
                                                 : "line after EVENT END");
        } else if constexpr (std::is_same_v<T, Event>) {
          if (m_began || begin(number)) {
            on_event(value, number);
          }
        } else if constexpr (std::is_same_v<T, ControlLine>) {
          on_control_line(value == ControlLine::event_begin, number);
        } else {
          ++m_stats.malformed;
          warn(WarningKind::malformed, number, value.reason);
        }
      },
      parsed);
}

void Engine::on_oversized(std::uint64_t number) {
  if (m_stopped) {
    return;
  }
  flush();
  ++m_stats.oversized;
  ++m_stats.malformed;
  // The reader's limit, the one that cut the line.
  const std::size_t limit = m_reader.max_line_length();
  warn(WarningKind::oversized, number,
       fmt::format("line longer than {} byte{}", limit, limit == 1 ? "" : "s"));
}

// The session begins: the sink may refuse it; its tables come from the pool if it has some.
bool Engine::begin(std::uint64_t number) {
  m_began = true;
  if (m_sink.on_begin(number) == Flow::stop) {
    m_stopped = true;
    return false;
  }
  if (m_pool != nullptr) {
    if (std::optional<EngineTables> tables = m_pool->take()) {
      m_tables = std::move(*tables);
      m_tables.pass.reset(tracks_latest(m_options), m_options.observe_events);
    }
  }
  return true;
}

void Engine::on_control_line(bool event_begin, std::uint64_t number) {
  if (!m_began) {
    if (event_begin) {
      begin(number);
      return;
    }
    ++m_stats.misplaced_control;
    warn(WarningKind::misplaced_control, number, "EVENT END before the session began");
    return;
  }
  if (!event_begin) {
    end_session(EngineEnd::event_end);
    return;
  }
  ++m_stats.misplaced_control;
  warn(WarningKind::misplaced_control, number,
       m_stats.events + m_stats.duplicates + m_stats.late == 0
           ? "EVENT BEGIN again"
           : "EVENT BEGIN after the first event");
}

// The batch of parsed events, in order, as one at a time would have gone. A warning for one
// of them follows everything decided before it (warn() decides what the lookahead holds) and
// precedes the events after it, which are still in the batch.
void Engine::insert_pending() {
  const std::size_t count = std::exchange(m_pending_count, 0);
  for (std::size_t i = 0; i < count && !m_stopped; ++i) {
    if (m_end) {
      // The buffer limit cut the session at an earlier event of this batch: the rest are
      // lines after the end, as they would have been one at a time.
      ++m_stats.after_end;
      warn(WarningKind::after_end, m_pending[i].line, "line after the session was cut");
    } else {
      on_event(m_pending[i].event, m_pending[i].line);
    }
  }
}

void Engine::on_event(const Event& event, std::uint64_t number) {
  OrderedPass& pass = m_tables.pass;
  switch (pass.insert(event)) {
    case ReorderBuffer::Insert::accepted:
      ++m_stats.events;
      break;
    case ReorderBuffer::Insert::duplicate_identical:
      ++m_stats.duplicates;
      warn(WarningKind::duplicate_identical, number,
           fmt::format("duplicate of sequence number {}", event.seq));
      return;
    case ReorderBuffer::Insert::duplicate_conflicting:
      ++m_stats.duplicates;
      ++m_stats.conflicting;
      warn(WarningKind::duplicate_conflicting, number,
           fmt::format("sequence number {} again with other content", event.seq));
      return;
    case ReorderBuffer::Insert::late:
      ++m_stats.late;
      warn(WarningKind::late, number,
           fmt::format("sequence number {} was already decided", event.seq));
      return;
  }
  pass.decide_ready(Decisions{*this});
  // Counted once the ready events are out: an event that is next in line never waits.
  const std::size_t waiting = pass.waiting();
  if (waiting > m_stats.max_buffered) {
    m_stats.max_buffered = waiting;
  }
  if (waiting > m_options.max_buffered) {
    m_stats.cut = true;
    warn(WarningKind::buffer_limit, number,
         fmt::format("more than {} {} for an earlier sequence number: the session is cut "
                     "here, what arrived is decided",
                     m_options.max_buffered,
                     m_options.max_buffered == 1 ? "event waits" : "events wait"));
    end_session(EngineEnd::buffer_limit);
  }
}

void Engine::report(const Event& event, const RuleOutcome& outcome) {
  if (outcome.variants != 0) {
    const Match match{event.seq, event.from, event.to, outcome.answering_seq};
    m_sink.on_variant_match(match, outcome.variants);
    if ((outcome.variants & m_variant) != 0) {
      ++m_stats.matches;
      m_sink.on_match(match);
    }
  }
  if (m_options.observe_events) {
    m_sink.on_decided(event);
  }
}

// What the ordered pass still holds in its lookahead, decided: every decision so far has
// reached the sink.
void Engine::decide_queued() {
  m_tables.pass.flush(Decisions{*this});
  m_stats.decided = m_tables.pass.decided();
}

// The one flush point: whatever was read is inserted and whatever is ready is decided, so
// that nothing reaches the sink ahead of what came before it.
void Engine::flush() {
  insert_pending();
  decide_queued();
}

void Engine::end_session(EngineEnd end) {
  if (m_end || m_stopped) {
    return;
  }
  // Every event read before the end has been inserted (the callers flush first; a cut inside
  // a batch leaves the rest of it to insert_pending as lines after the end).
  decide_queued();
  m_end = end;
  OrderedPass& pass = m_tables.pass;
  if (pass.waiting() == 0) {
    return;
  }
  // Something waits for a number that never came. Said before deciding past it, so that
  // --strict stops there.
  std::uint64_t missing = 0;
  std::string runs;
  int shown = 0;
  pass.for_each_gap([&](std::uint64_t first, std::uint64_t last) {
    missing += last - first + 1;
    if (shown < k_gap_runs_shown) {
      runs += (shown == 0 ? "" : ", ") + format_run(first, last);
    } else if (shown == k_gap_runs_shown) {
      runs += ", ...";
    }
    ++shown;
  });
  m_stats.gaps = missing;
  warn(WarningKind::gaps, 0,
       fmt::format("{} sequence number{} {}: {}", missing, missing == 1 ? "" : "s",
                   end == EngineEnd::buffer_limit ? "had not arrived when the session was cut"
                                                  : "never arrived",
                   runs));
  if (m_stopped) {
    return;
  }
  pass.seal(Decisions{*this});
  m_stats.decided = pass.decided();
}

// Everything decided before the warning reaches the sink before it; the events of a batch
// after the one warned about are not inserted yet (insert_pending goes on with them).
void Engine::warn(WarningKind kind, std::uint64_t line, std::string message) {
  decide_queued();
  if (m_sink.on_warning(Warning{kind, line, std::move(message)}) == Flow::stop) {
    m_stopped = true;
  }
}

}  // namespace likematch
