#include "core/engine/order/ordered_pass.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"

namespace likematch {
namespace {

namespace bits = literal_bits;

// The events' outcomes by sequence number, from the pass's calls (0 for the events it decided
// without a call: their pairs were cold).
class Outcomes {
 public:
  explicit Outcomes(std::uint64_t last_seq) : m_outcomes(last_seq + 1) {}
  void operator()(const Event& event, const RuleOutcome& outcome) {
    REQUIRE(event.seq > m_last_called);  // calls come in sequence order
    m_last_called = event.seq;
    m_outcomes[event.seq] = outcome;
  }
  const std::vector<RuleOutcome>& all() const { return m_outcomes; }

 private:
  std::vector<RuleOutcome> m_outcomes;
  std::uint64_t m_last_called = 0;
};

// The pass over `arrivals`, inserted in the order given, decided at the ring's watermark after
// each, then sealed (what follows numbers that never came is decided then).
std::vector<RuleOutcome> run_pass(OrderedPass& pass, const std::vector<Event>& arrivals,
                                  std::uint64_t last_seq) {
  Outcomes outcomes(last_seq);
  for (const Event& event : arrivals) {
    REQUIRE(pass.insert(event) == ReorderBuffer::Insert::accepted);
    pass.decide_ready(outcomes);
  }
  pass.seal(outcomes);
  CHECK(pass.waiting() == 0);
  return outcomes.all();
}

// The matcher alone over `arrivals` in sequence order, each arriving as it is decided.
std::vector<RuleOutcome> in_order(bool track_latest, std::vector<Event> arrivals,
                                  std::uint64_t last_seq) {
  std::sort(arrivals.begin(), arrivals.end(),
            [](const Event& a, const Event& b) { return a.seq < b.seq; });
  Matcher matcher(track_latest);
  std::vector<RuleOutcome> outcomes(last_seq + 1);
  for (const Event& event : arrivals) {
    matcher.arrive(event);
    outcomes[event.seq] = matcher.decide(event);
  }
  return outcomes;
}

void check_same_outcomes(const std::vector<RuleOutcome>& got,
                         const std::vector<RuleOutcome>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t seq = 1; seq < got.size(); ++seq) {
    INFO("seq " << seq);
    REQUIRE(got[seq].variants == expected[seq].variants);
    if (expected[seq].variants != 0) {
      REQUIRE(got[seq].answering_seq == expected[seq].answering_seq);
    }
  }
}

}  // namespace

TEST_CASE("the ordered pass gives the in-order outcome of every event, in any arrival order",
          "[ordered_pass]") {
  Random random(17);
  std::size_t hot_runs = 0;
  std::size_t cold_runs = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    GeneratorOptions options;
    options.seed = seed;
    const std::uint64_t sizes[] = {10, 100, 1'000, 20'000};
    options.events = 1 + random.below(sizes[random.below(4)]);
    const std::uint64_t users[] = {1, 2, 5, 50, 1'000, 100'000};
    options.users = users[random.below(6)];
    options.self_likes = options.users == 1 || random.below(2) == 0;
    const ShuffleKind kinds[] = {ShuffleKind::none, ShuffleKind::full, ShuffleKind::window};
    options.shuffle = {kinds[random.below(3)], 1 + random.below(100)};
    std::vector<Event> events = generate_events(options);
    // Some numbers never arrive: what follows them is decided by seal().
    if (random.below(3) == 0) {
      std::erase_if(events, [&](const Event&) { return random.below(50) == 0; });
    }
    const bool track_latest = random.below(4) != 0;
    const bool every_event = random.below(5) == 0;
    INFO("seed " << seed << ", events " << options.events << ", users " << options.users
                 << ", shuffle " << to_string(options.shuffle) << ", latest " << track_latest
                 << ", every event " << every_event);
    OrderedPass pass;
    pass.reset(track_latest, every_event);
    check_same_outcomes(run_pass(pass, events, options.events),
                        in_order(track_latest, events, options.events));
    CHECK(pass.decided() == events.size());
    hot_runs += pass.hot_pairs() != 0 ? 1 : 0;
    cold_runs += pass.hot_pairs() < pass.pairs() ? 1 : 0;
  }
  // Both kinds of pair were met, in many runs.
  CHECK(hot_runs > 100);
  CHECK(cold_runs > 100);
}

TEST_CASE("a pair turning hot takes its events decided cold first, in order", "[ordered_pass]") {
  // 2 likes 1 at 1 and withdraws at 2, both decided while the pair is cold; 1 likes 2 at 3.
  const std::vector<Event> events = {
      {1, LikeType::liked, 2, 1}, {2, LikeType::not_liked, 2, 1}, {3, LikeType::liked, 1, 2}};
  const VariantSet ever_first = under_every_self_like_rule(bits::ever | bits::ever_once);
  SECTION("in order") {
    OrderedPass pass;
    const auto outcomes = run_pass(pass, events, 3);
    CHECK(outcomes[3].variants == ever_first);
    CHECK(outcomes[3].answering_seq == 1);
  }
  SECTION("the withdrawal arriving before the like it withdraws") {
    // 2 waits for 1; then 1 and 2 are decided cold; 3 turns the pair hot.
    OrderedPass pass;
    const auto outcomes = run_pass(pass, {events[1], events[0], events[2]}, 3);
    CHECK(outcomes[1].variants == 0);
    CHECK(outcomes[2].variants == 0);
    CHECK(outcomes[3].variants == ever_first);
    CHECK(outcomes[3].answering_seq == 1);
  }
}

TEST_CASE("a self-like makes its pair hot at once", "[ordered_pass]") {
  OrderedPass pass;
  const auto outcomes = run_pass(pass, {{2, LikeType::liked, 7, 7}, {1, LikeType::liked, 7, 7}}, 2);
  CHECK(pass.hot_pairs() == 1);
  const VariantSet four = bits::ever | bits::latest | bits::ever_once | bits::latest_once;
  CHECK((outcomes[1].variants & four) == 0);     // literal: nothing earlier
  CHECK((outcomes[2].variants & four) == four);  // literal: the pair's first match
  CHECK(outcomes[2].answering_seq == 1);
  CHECK((outcomes[1].variants >> k_bits_per_self_like_rule & four) == four);  // match rule
}

TEST_CASE("cold events past the list's bound are replayed by the next arrival and still count",
          "[ordered_pass]") {
  // Cold likes, each arriving after one that waits for it, so that they are kept rather than
  // applied at once, until the list is past its bound; then a withdrawal, which turns no pair
  // hot but finds the list past its bound; then the like back to the first of them.
  constexpr std::uint64_t k_other = std::uint64_t{1} << 22;  // the liked users: k_other + seq
  OrderedPass pass(/*track_latest=*/false);
  Outcomes outcomes(0);
  const auto like = [&](std::uint64_t seq) {
    return Event{seq, LikeType::liked, seq, k_other + seq};
  };
  // Every odd number waits for the even one before it... by k_apply_at_once and more.
  std::uint64_t seq = 0;
  while (pass.deferred_words() <= OrderedPass::k_max_deferred_words) {
    for (std::uint64_t i = 2; i <= 200; ++i) {
      REQUIRE(pass.insert(like(seq + i)) == ReorderBuffer::Insert::accepted);
    }
    REQUIRE(pass.insert(like(seq + 1)) == ReorderBuffer::Insert::accepted);
    pass.decide_ready([](const Event&, const RuleOutcome&) { FAIL("a cold event was called"); });
    seq += 200;
  }
  const Event withdrawal{seq + 1, LikeType::not_liked, 7, 8};
  pass.insert(withdrawal);
  CHECK(pass.deferred_words() == 0);
  CHECK(pass.hot_pairs() == 0);
  const Event like_back{seq + 2, LikeType::liked, k_other + 1, 1};
  pass.insert(like_back);
  CHECK(pass.hot_pairs() == 1);
  std::vector<RuleOutcome> called;
  pass.decide_ready([&](const Event& event, const RuleOutcome& outcome) {
    CHECK(event == like_back);
    called.push_back(outcome);
  });
  pass.flush([&](const Event& event, const RuleOutcome& outcome) {
    CHECK(event == like_back);
    called.push_back(outcome);
  });
  REQUIRE(called.size() == 1);
  CHECK(called[0].variants == under_every_self_like_rule(bits::ever | bits::ever_once));
  CHECK(called[0].answering_seq == 1);
}

TEST_CASE("a watermark from outside decides the events up to it over the numbers not here",
          "[ordered_pass]") {
  // A partition holding the events of pair {1, 2} only: the others' numbers never come.
  OrderedPass pass;
  std::vector<Event> decided;
  const auto record = [&](const Event& event, const RuleOutcome& outcome) {
    if (outcome.variants != 0) {
      decided.push_back(event);
    }
  };
  pass.insert({6, LikeType::liked, 2, 1});
  pass.insert({3, LikeType::liked, 1, 2});
  pass.insert({9, LikeType::liked, 1, 2});
  pass.decide_ready(record);
  pass.flush(record);
  CHECK(decided.empty());  // 1 and 2 are missing: the ring's own watermark is 0
  pass.decide_through(7, record);
  pass.flush(record);
  REQUIRE(decided.size() == 1);
  CHECK(decided[0].seq == 6);
  CHECK(pass.waiting() == 1);  // 9, past the watermark
  CHECK(pass.insert({5, LikeType::liked, 2, 1}) == ReorderBuffer::Insert::late);
  pass.decide_through(9, record);
  pass.flush(record);
  REQUIRE(decided.size() == 2);
  CHECK(decided[1].seq == 9);
  CHECK(pass.waiting() == 0);
}

}  // namespace likematch
