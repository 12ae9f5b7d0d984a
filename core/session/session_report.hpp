#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
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
  remote_failed,  // the RemoteDecider could not decide it (SessionHub::remote_failed)
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
  // The whole list was written to a listener that spoke (sent at least a byte): a connection
  // that says nothing (a port probe) takes no list away from the run's listener.
  bool delivered = false;
  // Not 0: the session whose beginning ended this one's wait for a listener, its list neither
  // delivered nor judged.
  std::uint64_t superseded_by = 0;
  // The RemoteDecider could not decide its list: it ended without it (SessionHub::remote_failed).
  bool remote_failed = false;
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
  verdict_timeout,  // its whole list was written and it said nothing for
                    // HubOptions::verdict_timeout
  line_too_long,    // it sent a line longer than HubOptions::max_listener_line
  shutdown,         // the server shut down
  remote_failed,    // its session's list could not be decided (SessionHub::remote_failed)
};

// One listener's part in a session, when it leaves.
struct ListenerReport {
  ConnectionId listener = 0;
  std::uint64_t session = 0;  // 0: it was never attached to one
  ListenerEnd end = ListenerEnd::peer_closed;
  std::optional<Verdict> verdict;
  // Numbers written to its socket, and those handed to the transport but not yet written when
  // it left (dropped at a close: "written" is said of the first only).
  std::size_t numbers_written = 0;
  std::size_t numbers_queued = 0;
  // The session's input had ended and its whole list was written.
  bool whole_list = false;
  // It sent at least one byte: a connection that never spoke is a probe, not a listener.
  bool spoke = false;
  // Lines it sent that were neither MATCH BEGIN nor a verdict, beyond those reported one by
  // one (HubOptions::max_warnings).
  std::uint64_t unshown_lines = 0;
};

// Something the hub saw or did that the log tells; cli/ words it and chooses its level.
struct HubEvent {
  enum class Kind {
    source_dropped,         // `source` closed (or, `idle`, went silent) before any valid line
    source_refused,         // `source`'s first valid line came while `session` ran from
                            // `running_source`: it was closed
    input_after_end,        // `source` sent more after `session`'s input ended (said once)
    listener_waits,         // `listener` has no session to join: it waits for the next one
    listener_deciding,      // `listener` came while `session`'s list waited for a listener:
                            // it first waits `wait` for a new session to begin
    listener_attached,      // `listener` joined `session`
    listener_greeted,       // `listener` sent MATCH BEGIN
    listener_line_ignored,  // `listener` sent `line`, neither MATCH BEGIN nor a verdict
    remote_failed,          // the RemoteDecider could not decide `session`'s list: the session
                            // ends without it (its input cut, its listeners closed)
  };

  Kind kind = Kind::listener_waits;
  std::uint64_t session = 0;
  ConnectionId source = 0;
  ConnectionId running_source = 0;
  ConnectionId listener = 0;
  bool idle = false;
  std::chrono::milliseconds wait{0};
  std::string line = {};

  friend bool operator==(const HubEvent&, const HubEvent&) = default;
};

}  // namespace likematch
