#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/engine/input/protocol.hpp"
#include "core/engine/stats.hpp"
#include "core/rules/rule_comparison.hpp"

namespace likematch {

// Any connection, source or listener; the transport chooses the ids and never reuses one.
using ConnectionId = std::uint64_t;

// How a session's input ended.
enum class SessionEnd {
  event_end,      // EVENT END was read
  source_closed,  // the source closed its connection without EVENT END
  idle_timeout,   // the source fell silent and was closed
  buffer_limit,   // too many events waited for an earlier one (EngineOptions::max_buffered)
  shutdown,       // the server shut down during the session
};

std::string_view to_string(SessionEnd end);

// Everything one session did, for its summary.
struct SessionReport {
  std::uint64_t session = 0;  // 1-based, counted by the hub
  ConnectionId source = 0;
  Stats stats;
  std::optional<SessionEnd> end;  // nullopt while the input runs
  // From the first valid line to the last match handed to a listener.
  std::optional<std::chrono::nanoseconds> first_event_to_last_match;
  // The tail: from the end of the input to the last match handed to a listener. The end of
  // the input is the arrival of the last source piece that let events be decided (the bytes
  // that completed the contiguous prefix, or EVENT END or the close when numbers were
  // missing): with a shuffled stream nearly all matching waits for it. 0 when that piece
  // decided no match (the list was complete when it came); with a listener that connects
  // after that, the time until it did. Unset while no match was handed to a listener.
  std::optional<std::chrono::nanoseconds> input_end_to_last_match;
  std::uint64_t listeners = 0;  // listeners attached to this session
  std::uint64_t verdicts_ok = 0;
  std::uint64_t verdicts_error = 0;
  bool delivered = false;  // a listener was sent the whole list
  std::uint64_t unshown_warnings = 0;
  // Known once the session is final: the rule variants' lists, their first divergence.
  std::optional<bool> rules_agree;
  std::optional<VariantExplanation> first_divergence;

  // MATCH END - ERROR if any listener said so, OK if one said OK, none otherwise.
  std::optional<Verdict> verdict() const {
    if (verdicts_error != 0) {
      return Verdict::error;
    }
    if (verdicts_ok != 0) {
      return Verdict::ok;
    }
    return std::nullopt;
  }
};

// Why a listener left its session (or never had one).
enum class ListenerEnd {
  verdict,          // it sent MATCH END - OK or - ERROR and was closed
  peer_closed,      // it closed its connection (or half-closed it) without a verdict
  failed,           // its connection failed
  verdict_timeout,  // it had the whole list and said nothing for HubOptions::verdict_timeout
  line_too_long,    // it sent a line longer than HubOptions::max_listener_line
  shutdown,         // the server shut down
};

// One listener's part in a session, when it leaves.
struct ListenerReport {
  ConnectionId listener = 0;
  std::uint64_t session = 0;  // 0: it was never attached to one
  ListenerEnd end = ListenerEnd::peer_closed;
  std::optional<Verdict> verdict;
  std::size_t numbers_sent = 0;
  bool whole_list = false;  // the session's input had ended and its whole list was sent
};

}  // namespace likematch
