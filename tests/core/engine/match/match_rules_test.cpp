// The match rules: one pair's state as a value, and every short history, in several arrival
// orders, under all twelve variants, against the reference matcher: through the pure step()
// and through the ordered pass (arrival in any order, decision in sequence order, the cold
// events applied at once or kept and replayed).
#include "core/engine/match/match_rules.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/order/ordered_pass.hpp"
#include "core/rules/reference_matcher.hpp"

namespace likematch {
namespace {

// Every event among `users` users (ids 1..users): each type, each direction, self-likes too.
std::vector<Event> every_event(std::uint64_t users) {
  std::vector<Event> events;
  for (const LikeType type : {LikeType::liked, LikeType::not_liked, LikeType::unspecified}) {
    for (std::uint64_t from = 1; from <= users; ++from) {
      for (std::uint64_t to = 1; to <= users; ++to) {
        events.push_back(Event{0, type, from, to});
      }
    }
  }
  return events;
}

// Calls `check` with every history of 1..max_length events drawn from `alphabet`, numbered
// 1, 2, 3, ...
void for_each_history(const std::vector<Event>& alphabet, std::size_t max_length,
                      const std::function<void(const std::vector<Event>&)>& check) {
  std::vector<Event> history;
  std::function<void()> extend = [&] {
    if (!history.empty()) {
      check(history);
    }
    if (history.size() == max_length) {
      return;
    }
    for (Event event : alphabet) {
      event.seq = history.size() + 1;
      history.push_back(event);
      extend();
      history.pop_back();
    }
  };
  extend();
}

// The orders in which a history's events arrive: in sequence order, all before the first is
// decided (the shuffled stream's end), and each pair of neighbours swapped.
std::vector<std::vector<std::size_t>> arrival_orders(std::size_t n) {
  std::vector<std::size_t> in_order(n);
  for (std::size_t i = 0; i < n; ++i) {
    in_order[i] = i;
  }
  std::vector<std::size_t> reversed(in_order.rbegin(), in_order.rend());
  std::vector<std::size_t> swapped = in_order;
  for (std::size_t i = 0; i + 1 < n; i += 2) {
    std::swap(swapped[i], swapped[i + 1]);
  }
  return {in_order, reversed, swapped};
}

struct Decided {
  std::uint64_t seq;
  RuleOutcome outcome;
};

// Cold events of their own pairs, numbered 1..k_padding and arriving last to first, so that
// one decision hands them all out: past the first few, applied at once, the pass keeps them
// in its list of cold events, and keeps what follows until a pair turns hot.
constexpr std::uint64_t k_padding = 80;

// What the ordered pass decides for `history` arriving in `order` (after the padding, if
// asked): every event is decided as soon as every smaller number has arrived.
std::vector<Decided> run_passes(OrderedPass& pass, const std::vector<Event>& history,
                                const std::vector<std::size_t>& order, bool padded) {
  pass.reset(true);
  const std::uint64_t offset = padded ? k_padding : 0;
  std::map<std::uint64_t, RuleOutcome> outcomes;
  const auto record = [&](const Event& event, const RuleOutcome& outcome) {
    REQUIRE(event.seq > offset);  // the padding's pairs are never hot
    outcomes[event.seq - offset] = outcome;
  };
  for (std::uint64_t seq = offset; seq >= 1; --seq) {
    pass.insert(Event{seq, LikeType::liked, 1000 + seq, 2000 + seq});
    pass.decide_ready(record);
  }
  for (const std::size_t index : order) {
    Event event = history[index];
    event.seq += offset;
    REQUIRE(pass.insert(event) == ReorderBuffer::Insert::accepted);
    pass.decide_ready(record);
  }
  pass.seal(record);
  REQUIRE(pass.decided() == offset + history.size());
  std::vector<Decided> decided;
  for (const Event& event : history) {
    RuleOutcome outcome = outcomes[event.seq];
    if (outcome.variants != 0) {
      outcome.answering_seq -= offset;
    }
    decided.push_back({event.seq, outcome});
  }
  return decided;
}

// The reference's answer under each variant: seq -> the like it answers.
using Expected = std::array<std::vector<std::pair<std::uint64_t, std::uint64_t>>, 12>;

Expected reference(const std::vector<Event>& history) {
  Expected expected;
  for (std::size_t v = 0; v < k_rule_variants.size(); ++v) {
    for (const Match& match : reference_matches(history, k_rule_variants[v])) {
      expected[v].emplace_back(match.seq, match.answering_seq);
    }
  }
  return expected;
}

// A match needs a like each way among the events up to it (a user's like to itself being
// both): the pair was hot when the match was decided.
bool on_hot_pair(const std::vector<Event>& history, std::uint64_t seq) {
  const Event& match = history[seq - 1];
  std::set<std::pair<std::uint64_t, std::uint64_t>> liked;
  for (std::uint64_t i = 0; i < seq; ++i) {
    if (history[i].type == LikeType::liked) {
      liked.emplace(history[i].from, history[i].to);
    }
  }
  return liked.contains({match.from, match.to}) && liked.contains({match.to, match.from});
}

// The pure step() over `history` in order, one PairRuleState per pair, each arrival noted
// first (as the passes do).
std::vector<Decided> run_steps(const std::vector<Event>& history) {
  std::map<std::pair<std::uint64_t, std::uint64_t>, PairRuleState> states;
  const auto key = [](const Event& event) {
    const PairSide side = pair_side(event);
    return std::pair{side.lo, side.hi};
  };
  for (const Event& event : history) {
    states[key(event)] = arrive(states[key(event)], event).state;
  }
  std::vector<Decided> decided;
  for (const Event& event : history) {
    const PairStep next = step(states[key(event)], event);
    states[key(event)] = next.state;
    decided.push_back({event.seq, next.outcome});
  }
  return decided;
}

std::string describe(const std::vector<Event>& history) {
  std::string text;
  for (const Event& e : history) {
    text += fmt::format("{} {} {}->{}; ", e.seq, to_string(e.type), e.from, e.to);
  }
  return text;
}

// Each variant's list of (match, answered like) from one run's outcomes; every match on a hot
// pair.
Expected lists_of(const std::vector<Decided>& decided, const std::vector<Event>& history) {
  Expected lists;
  for (const Decided& d : decided) {
    for (std::size_t v = 0; v < k_rule_variants.size(); ++v) {
      if ((d.outcome.variants >> v & 1) != 0) {
        lists[v].emplace_back(d.seq, d.outcome.answering_seq);
      }
    }
    if (d.outcome.variants != 0 && !on_hot_pair(history, d.seq)) {
      FAIL_CHECK("a match on a pair without a like each way, at " << d.seq << ": "
                                                                  << describe(history));
    }
  }
  return lists;
}

void check_history(OrderedPass& pass, const std::vector<Event>& history) {
  const Expected expected = reference(history);
  if (lists_of(run_steps(history), history) != expected) {
    FAIL_CHECK("step() disagrees with the reference on: " << describe(history));
  }
  for (const std::vector<std::size_t>& order : arrival_orders(history.size())) {
    for (const bool padded : {false, true}) {
      if (lists_of(run_passes(pass, history, order, padded), history) != expected) {
        FAIL_CHECK("the ordered pass disagrees with the reference"
                   << (padded ? " after the padding" : "") << " on: " << describe(history));
        return;
      }
    }
  }
}

}  // namespace

TEST_CASE("a pair's rule state reads back from its bytes unchanged", "[match_rules]") {
  PairRuleState state;
  state.flag_bits = liked_1 | matched_ever | arrived_0 | arrived_1;
  state.like_seqs[0] = 0x0102030405060708;
  state.like_seqs[1] = UINT64_MAX;
  const auto bytes = state.to_bytes();
  CHECK(bytes.size() == 17);
  CHECK(bytes[0] == state.flag_bits);
  CHECK(bytes[1] == 0x08);  // little-endian
  CHECK(PairRuleState::from_bytes(bytes) == state);
  CHECK(PairRuleState::from_bytes(PairRuleState{}.to_bytes()) == PairRuleState{});
}

TEST_CASE("a pair can match only once a like has arrived each way", "[match_rules]") {
  PairRuleState state;
  const Event like_1_2{1, LikeType::liked, 1, 2};
  const Event like_2_1{2, LikeType::liked, 2, 1};
  const Event dislike_2_1{3, LikeType::not_liked, 2, 1};
  state = arrive(state, dislike_2_1).state;
  CHECK_FALSE(pair_rules::can_ever_match(state.flags(), false));
  const PairArrival first = arrive(state, like_1_2);
  CHECK_FALSE(first.turned_hot);
  CHECK(arrive(first.state, like_1_2).turned_hot == false);  // the same way again
  const PairArrival second = arrive(first.state, like_2_1);
  CHECK(second.turned_hot);
  CHECK(pair_rules::can_ever_match(second.state.flags(), false));
  CHECK(arrive(second.state, like_2_1).turned_hot == false);  // hot already
  // A user's first like to itself is enough.
  const PairArrival self = arrive(PairRuleState{}, Event{4, LikeType::liked, 7, 7});
  CHECK(self.turned_hot);
}

TEST_CASE("step() records a like and answers the next one the other way", "[match_rules]") {
  PairRuleState state;
  for (const Event& event : {Event{1, LikeType::liked, 1, 2}, Event{2, LikeType::liked, 2, 1}}) {
    state = arrive(state, event).state;
  }
  const PairStep first = step(state, Event{1, LikeType::liked, 1, 2});
  CHECK(first.outcome.variants == 0);
  CHECK(first.state.seq(0) == 1);
  const PairStep second = step(first.state, Event{2, LikeType::liked, 2, 1});
  CHECK(second.outcome.variants == k_all_variants);
  CHECK(second.outcome.answering_seq == 1);
  CHECK((second.state.flags() & (matched_ever | matched_latest)) ==
        (matched_ever | matched_latest));
}

TEST_CASE("every history of up to four events between two users decides as the reference does",
          "[match_rules][exhaustive]") {
  OrderedPass pass;
  for_each_history(every_event(2), 4,
                   [&](const std::vector<Event>& history) { check_history(pass, history); });
}

TEST_CASE("every history of up to three events among three users decides as the reference does",
          "[match_rules][exhaustive]") {
  OrderedPass pass;
  for_each_history(every_event(3), 3,
                   [&](const std::vector<Event>& history) { check_history(pass, history); });
}

}  // namespace likematch
