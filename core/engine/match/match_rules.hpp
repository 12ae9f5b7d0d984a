#pragma once

// The match rules, all in this file: the twelve variants and their bits, what the rules keep
// of one pair, and what one event does to it (a like, a self-like, a withdrawal, an arrival;
// whether a pair can ever match). Matcher applies them over a table of pairs; a store of pair
// states elsewhere can apply them through step() and arrive().

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "core/assert.hpp"
#include "core/engine/input/event.hpp"
#include "core/enum_names.hpp"

namespace likematch {

// The two readings of "match" in the challenge text (docs/protocol.md).
enum class Rule {
  ever,    // an earlier LIKE_LIKED the other way, whatever came after it
  latest,  // the latest earlier event the other way is LIKE_LIKED
};

// What a LIKE_LIKED from a user to that same user is (docs/protocol.md, "Self-likes").
enum class SelfLikeRule {
  literal,  // an event like any other: it answers an earlier LIKE_LIKED from A to A
  match,    // every one is a match, the first included (--once: only the first)
  ignore,   // never a match, and it changes no state
};

// The names --rule and --self-like-rule take and every report shows.
inline constexpr EnumNameTable<Rule, 2> k_rule_names{{
    {"ever", Rule::ever},
    {"latest", Rule::latest},
}};
inline constexpr EnumNameTable<SelfLikeRule, 3> k_self_like_rule_names{{
    {"literal", SelfLikeRule::literal},
    {"match", SelfLikeRule::match},
    {"ignore", SelfLikeRule::ignore},
}};

constexpr std::string_view to_string(Rule rule) {
  return name_of(k_rule_names, rule);
}
constexpr std::string_view to_string(SelfLikeRule rule) {
  return name_of(k_self_like_rule_names, rule);
}

struct MatchRules {
  Rule rule = Rule::ever;
  bool once = false;  // an unordered pair matches at most once, at its first match
  SelfLikeRule self_likes = SelfLikeRule::literal;

  friend bool operator==(const MatchRules&, const MatchRules&) = default;
};

// The twelve variants, in the order they are shown: the four (rule, once) variants under each
// self-like rule, literal first.
inline constexpr std::array<MatchRules, 12> k_rule_variants{{
    {Rule::ever, false, SelfLikeRule::literal},
    {Rule::latest, false, SelfLikeRule::literal},
    {Rule::ever, true, SelfLikeRule::literal},
    {Rule::latest, true, SelfLikeRule::literal},
    {Rule::ever, false, SelfLikeRule::match},
    {Rule::latest, false, SelfLikeRule::match},
    {Rule::ever, true, SelfLikeRule::match},
    {Rule::latest, true, SelfLikeRule::match},
    {Rule::ever, false, SelfLikeRule::ignore},
    {Rule::latest, false, SelfLikeRule::ignore},
    {Rule::ever, true, SelfLikeRule::ignore},
    {Rule::latest, true, SelfLikeRule::ignore},
}};

// A set of variants: bit i stands for k_rule_variants[i].
using VariantSet = std::uint16_t;
inline constexpr VariantSet k_all_variants = (1U << k_rule_variants.size()) - 1;

// The (rule, once) variants of one self-like rule take four consecutive bits.
inline constexpr int k_bits_per_self_like_rule = 4;

constexpr std::size_t variant_index(const MatchRules& rules) {
  return (rules.rule == Rule::latest ? 1 : 0) + (rules.once ? 2 : 0) +
         k_bits_per_self_like_rule * static_cast<std::size_t>(rules.self_likes);
}
constexpr VariantSet variant_bit(const MatchRules& rules) {
  return static_cast<VariantSet>(1U << variant_index(rules));
}

// The variants of an event from a user to another one: the self-like rules do not apply, so
// the (rule, once) bits `literal` (those of the literal variants) hold under all three.
constexpr VariantSet under_every_self_like_rule(VariantSet literal) {
  return static_cast<VariantSet>(literal | literal << k_bits_per_self_like_rule |
                                 literal << (2 * k_bits_per_self_like_rule));
}

// The bits of the four (rule, once) variants under the literal self-like rule; an event
// between two users has the same bits under the other two (under_every_self_like_rule).
namespace literal_bits {
inline constexpr VariantSet ever = variant_bit({Rule::ever, false});
inline constexpr VariantSet latest = variant_bit({Rule::latest, false});
inline constexpr VariantSet ever_once = variant_bit({Rule::ever, true});
inline constexpr VariantSet latest_once = variant_bit({Rule::latest, true});
}  // namespace literal_bits

// ---- The rules of one pair ----
//
// Everything the twelve variants need to know about an unordered pair of users {lo, hi},
// lo <= hi, is one byte of flags and two sequence numbers. Its two directions are 0
// (lo -> hi) and 1 (hi -> lo); a user paired with itself has direction 0 only.
enum PairFlag : std::uint8_t {
  liked_0 = 1,          // a LIKE_LIKED lo -> hi has been decided (rule ever)
  liked_1 = 2,          // and hi -> lo
  latest_liked_0 = 4,   // the latest decided event lo -> hi was LIKE_LIKED (rule latest)
  latest_liked_1 = 8,   // and hi -> lo
  matched_ever = 16,    // the pair has matched under rule ever (modifier once)
  matched_latest = 32,  // and under rule latest
  // Set when a LIKE_LIKED lo -> hi (hi -> lo) arrives, in whatever order events arrive: with
  // both (or, for a user paired with itself, the first) the pair is hot (can_ever_match).
  arrived_0 = 64,
  arrived_1 = 128,
};

// One pair's rule state as a plain value: what a store outside the engine keeps per pair
// (PairTable keeps the same fields in place, as a PairEntry). Trivially copyable; its bytes
// (to_bytes) are fixed: the flags, then the two sequence numbers little-endian.
struct PairRuleState {
  std::uint8_t flag_bits = 0;           // PairFlag bits
  std::uint64_t like_seqs[2] = {0, 0};  // the latest LIKE_LIKED per direction; 0: none

  static constexpr std::size_t k_bytes = 1 + 2 * sizeof(std::uint64_t);

  // The accessors of PairEntry, so that the rules below take either.
  std::uint8_t flags() const { return flag_bits; }
  void set(std::uint8_t flags) { flag_bits = static_cast<std::uint8_t>(flag_bits | flags); }
  void clear(std::uint8_t flags) { flag_bits = static_cast<std::uint8_t>(flag_bits & ~flags); }
  std::uint64_t seq(int direction) const { return like_seqs[direction]; }
  void set_seq(int direction, std::uint64_t seq) { like_seqs[direction] = seq; }

  std::array<std::uint8_t, k_bytes> to_bytes() const;
  static PairRuleState from_bytes(const std::array<std::uint8_t, k_bytes>& bytes);

  friend bool operator==(const PairRuleState&, const PairRuleState&) = default;
};
static_assert(std::is_trivially_copyable_v<PairRuleState>);

// An event seen from its pair: the pair {lo, hi} and the event's own direction and the one
// it answers (both 0 for a self-like: a like from A to A answers one from A to A).
struct PairSide {
  std::uint64_t lo;
  std::uint64_t hi;
  int own;
  int back;
};
inline PairSide pair_side(const Event& event) {
  return {std::min(event.from, event.to), std::max(event.from, event.to),
          event.from <= event.to ? 0 : 1, event.to <= event.from ? 0 : 1};
}

// What deciding one event gives: the variants under which it is a match and the like it
// answers (valid when variants != 0). A self-like with no earlier LIKE_LIKED from the user to
// itself (a match only under SelfLikeRule::match) answers itself: its own sequence number.
struct RuleOutcome {
  VariantSet variants = 0;
  std::uint64_t answering_seq = 0;
};

namespace pair_rules {

inline std::uint8_t liked_bit(int direction) {
  return direction == 0 ? liked_0 : liked_1;
}
inline std::uint8_t latest_liked_bit(int direction) {
  return direction == 0 ? latest_liked_0 : latest_liked_1;
}
inline std::uint8_t arrived_bit(int direction) {
  return direction == 0 ? arrived_0 : arrived_1;
}

// Whether deciding an event of `type` can change a pair's state: a like always; anything
// else only under latest (a withdrawal), so when latest is not tracked nothing else is read.
constexpr bool changes_state(LikeType type, bool track_latest) {
  return track_latest || type == LikeType::liked;
}

// Can the pair ever match, under any of the twelve variants, given the likes that have
// arrived (`flags`' arrived bits)? A match answers an earlier like the other way, so it needs
// a like each way (a user's like to itself is both). Pairs that can are "hot".
constexpr bool can_ever_match(std::uint8_t flags, bool self) {
  const std::uint8_t arrived = flags & (arrived_0 | arrived_1);
  return self ? arrived != 0 : arrived == (arrived_0 | arrived_1);
}

// A LIKE_LIKED in direction `own` has arrived (in any order): true if the pair turns hot now.
template <typename State>
bool arrive_like(State& state, int own, bool self) {
  const std::uint8_t before = state.flags();
  if ((before & arrived_bit(own)) != 0) {
    return false;
  }
  state.set(arrived_bit(own));
  return self || (before & arrived_bit(1 - own)) != 0;
}

// A decided event other than a like, from direction `own`: it withdraws that direction's
// like under latest.
template <typename State>
void withdraw(State& state, int own) {
  state.clear(latest_liked_bit(own));
}

// A decided LIKE_LIKED in direction `own` answering direction `back`: the literal variants'
// bits, and the like recorded.
template <typename State>
RuleOutcome like(State& state, int own, int back, std::uint64_t seq, bool track_latest) {
  using namespace literal_bits;
  const std::uint8_t flags = state.flags();
  RuleOutcome outcome;
  // Read the answer before recording this like: for a self-like both are one direction.
  if ((flags & liked_bit(back)) != 0) {
    // A pair without a like each way never matches: both likes have arrived.
    LIKEMATCH_ASSERT(can_ever_match(flags, own == back));
    outcome.answering_seq = state.seq(back);
    outcome.variants |= ever;
    if (track_latest && (flags & latest_liked_bit(back)) != 0) {
      outcome.variants |= latest;
    }
    if ((flags & matched_ever) == 0) {
      outcome.variants |= ever_once;
    }
    if ((outcome.variants & latest) != 0 && (flags & matched_latest) == 0) {
      outcome.variants |= latest_once;
    }
  }
  std::uint8_t update = liked_bit(own) | latest_liked_bit(own);
  if ((outcome.variants & ever) != 0) {
    update |= matched_ever;
  }
  if ((outcome.variants & latest) != 0) {
    update |= matched_latest;
  }
  state.set(update);
  state.set_seq(own, seq);
  return outcome;
}

// A decided LIKE_LIKED between two users: the bits of all three self-like rules.
template <typename State>
RuleOutcome like_between_two(State& state, int own, int back, std::uint64_t seq,
                             bool track_latest) {
  // Copying the bits for every like, answered or not, measured cheaper than copying them
  // inside like()'s answered branch (callgrind: 555.9 against 556.2 instructions per event).
  RuleOutcome outcome = like(state, own, back, seq, track_latest);
  outcome.variants = under_every_self_like_rule(outcome.variants);
  return outcome;
}

// A decided LIKE_LIKED from a user to itself. The pair {A, A} keeps the literal state, which
// also tells whether A liked itself before: under the match rule every self-like is a match,
// and with once only the first, which is the one without that flag. The ignore rule's bits
// stay 0, and its state is the literal one, which it never reads.
template <typename State>
RuleOutcome self_like(State& state, std::uint64_t seq, bool track_latest) {
  using namespace literal_bits;
  const bool first = (state.flags() & liked_0) == 0;
  RuleOutcome outcome = like(state, 0, 0, seq, track_latest);
  VariantSet match = ever | (first ? ever_once : 0);
  if (track_latest) {
    match |= latest | (first ? latest_once : 0);
  }
  if (first) {
    outcome.answering_seq = seq;
  }
  // Every self-like is a match under SelfLikeRule::match: its own arrival made the pair hot.
  LIKEMATCH_ASSERT(can_ever_match(state.flags(), true));
  outcome.variants |= static_cast<VariantSet>(match << k_bits_per_self_like_rule);
  return outcome;
}

// The whole rule for one decided event of the pair `state` belongs to.
template <typename State>
RuleOutcome decide(State& state, const Event& event, bool track_latest) {
  const PairSide side = pair_side(event);
  if (event.type != LikeType::liked) {
    if (track_latest) {
      withdraw(state, side.own);
    }
    return {};
  }
  if (side.lo == side.hi) {
    return self_like(state, event.seq, track_latest);
  }
  return like_between_two(state, side.own, side.back, event.seq, track_latest);
}

}  // namespace pair_rules

// The rules as a pure function: one pair's state and one of its events, decided in sequence
// order after every earlier event of the pair, give the pair's next state and the outcome.
// Arrival (the arrived bits) is arrive(), apart: it happens in any order, and an event's
// arrival is noted before it is decided (a match on a pair not hot is an invariant broken).
struct PairStep {
  PairRuleState state;
  RuleOutcome outcome;
};
inline PairStep step(PairRuleState state, const Event& event, bool track_latest = true) {
  const RuleOutcome outcome = pair_rules::decide(state, event, track_latest);
  return {state, outcome};
}
// A LIKE_LIKED's arrival noted in its pair's state (anything else leaves it unchanged), and
// whether the pair turned hot.
struct PairArrival {
  PairRuleState state;
  bool turned_hot = false;
};
inline PairArrival arrive(PairRuleState state, const Event& event) {
  if (event.type != LikeType::liked) {
    return {state, false};
  }
  const PairSide side = pair_side(event);
  const bool turned_hot = pair_rules::arrive_like(state, side.own, side.lo == side.hi);
  return {state, turned_hot};
}

}  // namespace likematch
