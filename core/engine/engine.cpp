#include "core/engine/engine.hpp"

#include <fmt/format.h>

#include <cstring>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/engine/line_parser.hpp"

namespace likematch {

namespace {

constexpr std::string_view k_byte_order_mark = "\xEF\xBB\xBF";
// How many runs of missing sequence numbers the end-of-input warning spells out.
constexpr int k_gap_runs_shown = 5;

std::string format_run(std::uint64_t first, std::uint64_t last) {
  return first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
}

}  // namespace

Engine::Engine(EngineOptions options, EngineSink& sink)
    : m_options(options),
      m_variant(variant_bit(options.rules)),
      m_sink(sink),
      m_splitter(options.max_line_length),
      m_matcher(options.all_variants || options.rules.rule == Rule::latest) {}

Engine::Engine(EngineOptions options, EngineSink& sink, Engine&& spent) : Engine(options, sink) {
  // Only the tables change hands, before anything is fed: the rest is this engine's own.
  const bool track_latest = m_matcher.tracks_latest();
  std::swap(m_buffer, spent.m_buffer);
  std::swap(m_matcher, spent.m_matcher);
  m_buffer.clear();
  m_matcher.reset(track_latest);
}

void Engine::recycle() {
  m_buffer.clear();
  m_matcher.reset(m_matcher.tracks_latest());
}

void Engine::feed(std::string_view bytes) {
  const std::size_t first = bytes.find('\n');
  const std::size_t last = bytes.rfind('\n');
  if (first == last) {  // no line ends here, or one: the splitter's case
    feed_lines(bytes);
  } else {
    feed_lines(bytes.substr(0, first + 1));
    feed_complete_lines(bytes.substr(first + 1, last - first));
    feed_lines(bytes.substr(last + 1));
  }
  insert_pending();
  m_stats.lines = m_splitter.lines();
}

void Engine::feed_lines(std::string_view bytes) {
  m_splitter.feed(
      bytes, [this](std::string_view line, std::uint64_t number) { on_line(line, number); },
      [this](std::uint64_t number, std::uint64_t) { on_oversized(number); });
}

// The complete lines in the middle of a feed, the bulk of the input, skip the splitter:
// reading an event line also finds its end, where the splitter searched for the end first
// and parsed the line after (memchr and the calls were 12% of replay's time). The splitter
// keeps the line begun by the last feed and the one this feed leaves unfinished.
void Engine::feed_complete_lines(std::string_view lines) {
  const char* p = lines.data();
  const char* const end = p + lines.size();
  while (p != end) {
    m_splitter.count_lines(1);
    const std::uint64_t number = m_splitter.lines();
    PendingEvent& pending = m_pending[m_pending_count];
    // m_at_start is false here: the feed's first line went through the splitter.
    if (const char* next = read_event_line(p, end, pending.event);
        next != nullptr && !m_ended && !m_at_start &&
        static_cast<std::size_t>(next - p - 1) <= m_options.max_line_length) {
      pending.line = number;
      queue_pending();
      p = next;
      continue;
    }
    const auto* newline =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const std::string_view line(p, static_cast<std::size_t>(newline - p));
    if (line.size() > m_options.max_line_length) {
      on_oversized(number);
    } else {
      on_line(line, number);
    }
    p = newline + 1;
  }
}

void Engine::on_oversized(std::uint64_t number) {
  // The stream has started: a byte order mark on the next line is not at its start.
  m_at_start = false;
  ++m_stats.oversized;
  ++m_stats.malformed;
  insert_pending();
  warn(DiagnosticKind::oversized, number,
       fmt::format("line longer than {} bytes, skipped", m_options.max_line_length));
}

void Engine::finish() {
  m_splitter.finish([this](std::string_view line, std::uint64_t number) { on_line(line, number); },
                    [](std::uint64_t, std::uint64_t) {});
  insert_pending();
  m_stats.lines = m_splitter.lines();
  end_session();
}

void Engine::on_line(std::string_view line, std::uint64_t number) {
  if (m_at_start) {
    m_at_start = false;
    if (line.starts_with(k_byte_order_mark)) {
      line.remove_prefix(k_byte_order_mark.size());
    }
  }
  // Not through parse_line's variant: building and copying it cost more than parsing.
  if (PendingEvent& pending = m_pending[m_pending_count];
      !m_ended && parse_common_event(line, pending.event)) {
    pending.line = number;
    queue_pending();
    return;
  }
  insert_pending();
  const ParsedLine parsed = parse_line(line);
  std::visit(
      [&](const auto& value) {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, EmptyLine>) {
          return;
        } else if (m_ended) {
          warn_after_end(number);
        } else if constexpr (std::is_same_v<T, Event>) {
          on_event(value, number);
        } else if constexpr (std::is_same_v<T, ControlLine>) {
          on_control(value == ControlLine::event_begin, number);
        } else {
          ++m_stats.malformed;
          warn(DiagnosticKind::malformed, number, value.reason);
        }
      },
      parsed);
}

// The event just written to m_pending[m_pending_count] joins the batch.
void Engine::queue_pending() {
  m_buffer.prefetch(m_pending[m_pending_count].event.seq);
  if (++m_pending_count == k_batch) {
    insert_pending();
  }
}

void Engine::insert_pending() {
  // Cleared first: on_event may throw out of the engine (a strict sink).
  const std::size_t count = std::exchange(m_pending_count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    if (m_ended) {
      // The buffer limit cut the session at an earlier event of this batch: the rest are
      // lines after the end, as they would have been one at a time.
      warn_after_end(m_pending[i].line);
    } else {
      on_event(m_pending[i].event, m_pending[i].line);
    }
  }
  decide_ready();
}

void Engine::push_ready(const Event& event) {
  m_matcher.prefetch(event);
  // Field by field: a whole-struct copy loaded 16 bytes that the ring had just stored as 8
  // and 1, which the core cannot forward from its store buffer (a stall on every event: 6%
  // of replay's time).
  Event& ready = m_ready[(m_ready_head + m_ready_count) % k_batch];
  ready.seq = event.seq;
  ready.type = event.type;
  ready.from = event.from;
  ready.to = event.to;
  if (++m_ready_count > k_lookahead) {
    const Event oldest = m_ready[m_ready_head];
    m_ready_head = (m_ready_head + 1) % k_batch;
    --m_ready_count;
    decide(oldest);
  }
}

void Engine::decide_ready() {
  while (m_ready_count != 0) {
    const Event oldest = m_ready[m_ready_head];
    m_ready_head = (m_ready_head + 1) % k_batch;
    --m_ready_count;
    decide(oldest);
  }
}

void Engine::on_event(const Event& event, std::uint64_t number) {
  m_began = true;
  switch (m_buffer.insert(event)) {
    case ReorderBuffer::Insert::accepted:
      ++m_stats.events;
      break;
    case ReorderBuffer::Insert::duplicate_identical:
      ++m_stats.duplicates;
      warn(DiagnosticKind::duplicate_identical, number,
           fmt::format("duplicate of sequence number {}, ignored", event.seq));
      return;
    case ReorderBuffer::Insert::duplicate_conflicting:
      ++m_stats.duplicates;
      ++m_stats.conflicting;
      warn(DiagnosticKind::duplicate_conflicting, number,
           fmt::format("sequence number {} again with other content, ignored (the first copy "
                       "is kept)",
                       event.seq));
      return;
    case ReorderBuffer::Insert::late:
      ++m_stats.late;
      warn(DiagnosticKind::late, number,
           fmt::format("sequence number {} was already decided, ignored", event.seq));
      return;
  }
  if (m_buffer.size() > m_stats.max_buffered) {
    m_stats.max_buffered = m_buffer.size();
  }
  if (m_buffer.size() > m_options.max_buffered) {
    m_stats.cut = true;
    warn(DiagnosticKind::buffer_limit, number,
         fmt::format("more than {} events wait for an earlier sequence number: the session is "
                     "cut here, what arrived is decided",
                     m_options.max_buffered));
    end_session();
    return;
  }
  m_buffer.drain_ready([this](const Event& ready) { push_ready(ready); });
}

void Engine::on_control(bool begin, std::uint64_t number) {
  if (!begin) {
    end_session();
    return;
  }
  if (m_began) {
    ++m_stats.misplaced_control;
    warn(DiagnosticKind::misplaced_control, number,
         m_stats.events + m_stats.duplicates + m_stats.late == 0
             ? "EVENT BEGIN again, ignored"
             : "EVENT BEGIN after the first event, ignored");
  }
  m_began = true;
}

void Engine::decide(const Event& event) {
  ++m_stats.decided;
  const Matcher::Outcome outcome = m_matcher.on_event(event);
  if (outcome.variants != 0) {
    const Match match{event.seq, event.from, event.to, outcome.answering_seq};
    m_sink.on_candidate(match, outcome.variants);
    if ((outcome.variants & m_variant) != 0) {
      ++m_stats.matches;
      m_sink.on_match(match);
    }
  }
  if (m_options.observe_events) {
    m_sink.on_decided(event);
  }
}

void Engine::end_session() {
  if (m_ended) {
    return;
  }
  insert_pending();  // events read before the end are events of the session
  m_ended = true;
  std::string runs;
  int shown = 0;
  m_buffer.drain_all([this](const Event& ready) { push_ready(ready); },
                     [&](std::uint64_t first, std::uint64_t last) {
                       m_stats.gaps += last - first + 1;
                       if (shown < k_gap_runs_shown) {
                         runs += (shown == 0 ? "" : ", ") + format_run(first, last);
                       } else if (shown == k_gap_runs_shown) {
                         runs += ", ...";
                       }
                       ++shown;
                     });
  decide_ready();
  if (m_stats.gaps != 0) {
    warn(DiagnosticKind::gaps, 0,
         fmt::format("{} sequence number{} never arrived: {}", m_stats.gaps,
                     m_stats.gaps == 1 ? "" : "s", runs));
  }
}

void Engine::warn_after_end(std::uint64_t line) {
  ++m_stats.misplaced_control;
  warn(DiagnosticKind::misplaced_control, line,
       m_stats.cut ? "line after the session was cut, ignored" : "line after EVENT END, ignored");
}

void Engine::warn(DiagnosticKind kind, std::uint64_t line, std::string message) {
  decide_ready();
  m_sink.on_diagnostic(Diagnostic{kind, line, std::move(message)});
}

}  // namespace likematch
