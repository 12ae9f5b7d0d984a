#include "core/engine/order/ordered_pass.hpp"

namespace likematch {

namespace {

// How far ahead replay_deferred() loads the pairs of the events it replays.
constexpr int k_replay_lookahead = 16;

}  // namespace

void OrderedPass::reset(bool track_latest, bool every_event) {
  m_buffer.clear();
  m_matcher.reset(track_latest);
  m_deferred.clear();
  m_ready_head = 0;
  m_ready_count = 0;
  m_handed_out = 0;
  m_decided = 0;
  m_every_event = every_event;
  m_sealed = false;
}

// Out of line: the drain loop stays small.
[[gnu::noinline]] void OrderedPass::apply_cold(const Event& event) {
  m_matcher.decide(event);
}

// The cold events decided since the last replay, in order, into their pairs' state. None is
// a match: their pairs were cold when they were decided, and their pairs' later events are
// all still to come (in the ring or the lookahead), so order per pair holds.
void OrderedPass::replay_deferred() {
  DeferredEvents::Cursor ahead(m_deferred);
  DeferredEvents::Cursor behind(m_deferred);
  Event event;
  for (int i = 0; i < k_replay_lookahead && ahead.next(event); ++i) {
    m_matcher.prefetch(event);
  }
  while (behind.next(event)) {
    const RuleOutcome outcome = m_matcher.decide(event);
    LIKEMATCH_ASSERT(outcome.variants == 0);
    (void)outcome;
    if (ahead.next(event)) {
      m_matcher.prefetch(event);
    }
  }
  m_deferred.clear();
}

}  // namespace likematch
