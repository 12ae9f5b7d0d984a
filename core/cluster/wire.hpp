#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"

namespace likematch {

// Which session a record belongs to: serve draws `run` at random when it starts and counts
// `session` from 1, so that sessions of one serve, and of serves restarted on the same
// streams, are kept apart.
struct SessionKey {
  std::uint64_t run = 0;
  std::uint64_t session = 0;

  friend bool operator==(const SessionKey&, const SessionKey&) = default;
};

// One message to a partition's input stream: some of its events, then the watermark.
struct EventBatch {
  SessionKey key;
  MatchRules rules;
  std::uint32_t partitions = 0;  // P of the serve that sent it
  std::uint32_t partition = 0;
  // Counted per partition and session from 1: a batch published twice (a retry after a lost
  // acknowledgement) is recognised by the worker and applied once.
  std::uint64_t number = 0;
  // Every event of the session up to this sequence number has been published: those of this
  // partition are in this batch or an earlier one.
  std::uint64_t watermark = 0;
  std::vector<Event> events;

  friend bool operator==(const EventBatch&, const EventBatch&) = default;
};

// One message to a partition's output stream: what the partition decided.
struct DecidedBatch {
  SessionKey key;
  std::uint32_t partition = 0;
  // Every event of the partition up to here is decided; `matches` are the matches among
  // those above the previous batch's decided_up_to, in increasing order.
  std::uint64_t decided_up_to = 0;
  std::vector<std::uint64_t> matches;

  friend bool operator==(const DecidedBatch&, const DecidedBatch&) = default;
};

// Little-endian binary; a version byte first, so that a change is refused rather than misread.
std::string encode(const EventBatch& batch);
std::string encode(const DecidedBatch& batch);
// nullopt with `error` set: not a batch of this version (the reason, for the log).
std::optional<EventBatch> decode_event_batch(std::string_view bytes, std::string& error);
std::optional<DecidedBatch> decode_decided_batch(std::string_view bytes, std::string& error);

}  // namespace likematch
