#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/assert.hpp"
#include "core/engine/input/event.hpp"
#include "core/engine/match/deferred_events.hpp"
#include "core/engine/match/match_rules.hpp"
#include "core/engine/match/matcher.hpp"
#include "core/engine/order/reorder_buffer.hpp"

namespace likematch {

// Events in, in any order; decisions out, in sequence order. It holds the events waiting for
// an earlier number (the reorder buffer) and decides every event once every smaller number
// has arrived (the watermark: the ring's own, or one given from outside for a partition of
// the pairs), in two passes so that little work is left after the last event:
//
// - Arrival, in any order: the matcher notes which directions of the event's pair have a
//   like. A match needs a like each way (or a user liking itself), so only such "hot" pairs
//   can ever match: 640 of the 331,000 liked pairs of a million events at 9,000 users.
// - Decision, in sequence order: an event of a hot pair waits k_lookahead events with its
//   pair prefetched and then goes through the matcher's rules; an event of a cold pair is no
//   match under any variant, and is appended to a list of cold events (a sequential write,
//   where the rules make a random access into the pair table: with a fully shuffled stream
//   everything is decided after the last line arrives, and those accesses were the whole
//   tail, about 30 ms for a million events; 5 ms with the list).
// - When a pair turns hot, the list is replayed through the rules first.
//
// The invariants, asserted where LIKEMATCH_ASSERT is on (core/assert.hpp):
// - Order per pair: each pair's events reach the rules in increasing sequence order. Order
//   across pairs is not kept: a replay runs cold events ahead of hot events still waiting in
//   the lookahead, which is right only because they are of other pairs.
// - A pair once hot stays hot until reset(): so no event of a hot pair is ever in the list.
// - A pair without a like each way never matches, under any of the twelve variants
//   (pair_rules::can_ever_match): so a cold event needs no decision, only its place in the
//   pair's history.
// - Nothing arrives after seal(): from then on a cold event is dropped, not kept.
class OrderedPass {
 public:
  explicit OrderedPass(bool track_latest = true) : m_matcher(track_latest) {}

  // Back to a new pass's state, keeping the tables' allocation. With `every_event`, every
  // event is handed to on_decided in sequence order (EngineOptions::observe_events);
  // otherwise only those of hot pairs.
  void reset(bool track_latest, bool every_event = false);

  // Arrival. An accepted event is noted by the matcher and waits for its turn.
  ReorderBuffer::Insert insert(const Event& event) {
    LIKEMATCH_ASSERT(!m_sealed);
    const ReorderBuffer::Insert result = m_buffer.insert(event);
    if (result == ReorderBuffer::Insert::accepted) {
      if (m_deferred.words() > k_max_deferred_words) {
        replay_deferred();
      }
      if (m_matcher.arrive(event)) {
        // The pair turns hot: its events decided cold must be in its state before any
        // later one is decided.
        replay_deferred();
      }
    }
    return result;
  }
  // A hint that insert(event) follows soon.
  void prefetch_insert(const Event& event) const {
    m_buffer.prefetch(event.seq);
    m_matcher.prefetch_arrival(event);
  }

  // Decides, in order, every event whose predecessors have all arrived (the ring's
  // watermark). on_decided(event, outcome) is called for each event of a hot pair, possibly
  // k_lookahead events later (flush() ends the wait); the others are counted in decided().
  template <typename OnDecided>
  void decide_ready(OnDecided&& on_decided) {
    m_handed_out = 0;
    m_buffer.drain_ready([&](const Event& event) { hand_out(event, on_decided); });
    m_deferred.reserve(deferred_room(m_buffer.size()));
  }
  // Decides, in order, every event up to `watermark`, a number up to which every event of
  // this pass's pairs has arrived, as computed elsewhere (for a partition of the pairs:
  // numbers of other partitions' events never come here). Later events stay buffered.
  template <typename OnDecided>
  void decide_through(std::uint64_t watermark, OnDecided&& on_decided) {
    m_handed_out = 0;
    m_buffer.drain_through(watermark, [&](const Event& event) { hand_out(event, on_decided); });
  }
  // The events still waiting in the lookahead, decided now: after it, on_decided has been
  // called for every event decided so far.
  template <typename OnDecided>
  void flush(OnDecided&& on_decided) {
    while (m_ready_count != 0) {
      decide_oldest(on_decided);
    }
  }
  // Nothing will arrive any more (a session's end): every buffered event is decided, in
  // order, over the numbers that never came; cold events are no longer kept.
  template <typename OnDecided>
  void seal(OnDecided&& on_decided) {
    flush(on_decided);
    m_sealed = true;
    m_buffer.drain_all([&](const Event& event) { hand_out(event, on_decided); },
                       [](std::uint64_t, std::uint64_t) {});
    flush(on_decided);
  }

  // Each run of missing numbers below the largest buffered one (ReorderBuffer::for_each_gap).
  template <typename OnGap>
  void for_each_gap(OnGap&& on_gap) const {
    m_buffer.for_each_gap(on_gap);
  }

  bool tracks_latest() const { return m_matcher.tracks_latest(); }
  // Events waiting for an earlier number.
  std::size_t waiting() const { return m_buffer.size(); }
  // Events decided (whether or not on_decided was called for them).
  std::uint64_t decided() const { return m_decided; }
  std::size_t pairs() const { return m_matcher.pairs(); }
  std::size_t hot_pairs() const { return m_matcher.hot_pairs(); }
  // The words of cold events kept for a replay.
  std::size_t deferred_words() const { return m_deferred.words(); }
  std::size_t memory_bytes() const {
    return m_buffer.memory_bytes() + m_matcher.memory_bytes() + m_deferred.memory_bytes();
  }

  // Past this many words (8 MiB) the list of cold events is replayed at the next arrival
  // even if no pair turned hot, so that a stream whose pairs stay cold does not keep its whole
  // history. (One decide_ready may add up to the events waiting, for which room was made.)
  static constexpr std::size_t k_max_deferred_words = std::size_t{1} << 20;

 private:
  // Work is done a little ahead so that memory loads overlap: an event of a hot pair is
  // decided k_lookahead events after its pair was prefetched; a steady distance beat
  // prefetching a whole batch and then deciding it (10M events: 1.9 -> 1.4 s).
  static constexpr std::size_t k_lookahead = 16;
  static constexpr std::size_t k_ready_slots = 32;  // a power of two above k_lookahead
  // The first events one decide_ready hands out are applied to their pairs at once even when
  // cold: in order, an event is handed out right after arrival took its pair into cache, and
  // keeping it for later cost a second miss (in-order replay 12% slower). Past these few, as
  // after the last line of a shuffled stream, they are kept.
  static constexpr std::size_t k_apply_at_once = 64;

  // One event handed out in order: decided at once if its pair is cold, else into the
  // lookahead. Inline in the drain loop: it runs for every event.
  template <typename OnDecided>
  [[gnu::always_inline]] void hand_out(const Event& event, OnDecided& on_decided) {
    ++m_handed_out;
    if (!m_every_event && !m_matcher.is_hot(event)) [[likely]] {
      ++m_decided;
      take_cold(event);
      return;
    }
    enqueue(event, on_decided);
  }

  // An event of a cold pair: no match under any variant, but its pair's state must hold it if
  // the pair turns hot later, before the pair's next event is decided.
  void take_cold(const Event& event) {
    if (m_sealed) {
      return;  // nothing arrives any more: no pair turns hot, no state is read again
    }
    if (m_handed_out <= k_apply_at_once && m_deferred.empty()) {
      // Into its pair's state now (no earlier cold event waits, so order per pair holds).
      apply_cold(event);
      return;
    }
    // Into the list, without a branch on whether it changes any state (under ever only likes
    // do): that answer is a coin toss, and a mispredicted branch per event was half of the
    // ordered pass's time.
    m_deferred.push_if(event, pair_rules::changes_state(event.type, m_matcher.tracks_latest()));
  }
  void apply_cold(const Event& event);

  template <typename OnDecided>
  [[gnu::noinline]] void enqueue(const Event& event, OnDecided& on_decided) {
    m_matcher.prefetch(event);
    // Field by field: a whole-struct copy loaded 16 bytes that the ring had just stored as 8
    // and 1, which the core cannot forward from its store buffer (a stall on every event: 6%
    // of replay's time).
    Event& ready = m_ready[(m_ready_head + m_ready_count) % k_ready_slots];
    ready.seq = event.seq;
    ready.type = event.type;
    ready.from = event.from;
    ready.to = event.to;
    if (++m_ready_count > k_lookahead) {
      decide_oldest(on_decided);
    }
  }

  template <typename OnDecided>
  void decide_oldest(OnDecided& on_decided) {
    const Event event = m_ready[m_ready_head];
    m_ready_head = (m_ready_head + 1) % k_ready_slots;
    --m_ready_count;
    ++m_decided;
    // A pair once hot stays hot: it was hot when the event entered the lookahead.
    LIKEMATCH_ASSERT(m_every_event || m_matcher.is_hot(event));
    on_decided(event, m_matcher.decide(event));
  }

  // The room the list may need for the `waiting` events (every one under latest; under ever
  // only likes, about a third), made while events arrive rather than during the ordered pass.
  std::size_t deferred_room(std::size_t waiting) const {
    return m_matcher.tracks_latest() ? waiting : waiting / 2;
  }
  void replay_deferred();

  ReorderBuffer m_buffer;
  Matcher m_matcher;
  DeferredEvents m_deferred;  // events of cold pairs decided since the last replay
  std::array<Event, k_ready_slots> m_ready;
  std::size_t m_ready_head = 0;  // m_ready is a ring: the oldest event
  std::size_t m_ready_count = 0;
  std::size_t m_handed_out = 0;  // by the current decide_ready
  std::uint64_t m_decided = 0;
  bool m_every_event = false;
  bool m_sealed = false;
};

}  // namespace likematch
