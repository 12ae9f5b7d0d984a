#pragma once

#include <cstdint>

#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"

namespace likematch {

// Where a session's events go when other processes decide them (serve --jetstream,
// docs/scaling.md): the hub hands over every event of the session in sequence order and the
// watermark after the events it covers; the decided numbers come back through
// SessionHub::remote_decided. The hub still reads, checks and orders the source itself, so
// warnings, statistics and the rule comparison of the summary are the embedded ones.
class RemoteDecider {
 public:
  virtual ~RemoteDecider() = default;
  virtual void begin(std::uint64_t session, const MatchRules& rules) = 0;
  virtual void event(const Event& event) = 0;
  // Every event up to `watermark` was handed over; with `input_ended`, the session's last call.
  virtual void watermark(std::uint64_t watermark, bool input_ended) = 0;
};

}  // namespace likematch
