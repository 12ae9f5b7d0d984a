#include "core/engine/match/matcher.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"

using likematch::Event;
using likematch::LikeType;
using likematch::Matcher;
using likematch::MatchRules;
using likematch::Rule;
using likematch::SelfLikeRule;
using likematch::VariantSet;
namespace bits = likematch::literal_bits;

namespace {

constexpr VariantSet k_four = bits::ever | bits::latest | bits::ever_once | bits::latest_once;

// An event between two users: the (rule, once) bits hold under every self-like rule.
constexpr VariantSet all(VariantSet four) {
  return likematch::under_every_self_like_rule(four);
}
constexpr VariantSet k_all = all(k_four);

// The (rule, once) bits of `variants` under one self-like rule.
VariantSet under(SelfLikeRule self_likes, VariantSet variants) {
  return static_cast<VariantSet>((variants >> (4 * static_cast<int>(self_likes))) & k_four);
}

// Feeds events in order (seq = position + 1) and returns each one's variant bits.
class Script {
 public:
  explicit Script(bool track_latest = true) : m_matcher(track_latest) {}

  VariantSet operator()(LikeType type, std::uint64_t from, std::uint64_t to) {
    m_last = m_matcher.on_event(Event{++m_seq, type, from, to});
    return m_last.variants;
  }
  VariantSet like(std::uint64_t from, std::uint64_t to) {
    return (*this)(LikeType::liked, from, to);
  }
  std::uint64_t answering() const { return m_last.answering_seq; }

 private:
  Matcher m_matcher;
  std::uint64_t m_seq = 0;
  Matcher::Outcome m_last;
};

}  // namespace

TEST_CASE("maps the rules to one variant bit each", "[matcher]") {
  CHECK(likematch::variant_bit(MatchRules{Rule::ever, false}) == bits::ever);
  CHECK(likematch::variant_bit(MatchRules{Rule::latest, false}) == bits::latest);
  CHECK(likematch::variant_bit(MatchRules{Rule::ever, true}) == bits::ever_once);
  CHECK(likematch::variant_bit(MatchRules{Rule::latest, true}) == bits::latest_once);
  VariantSet seen = 0;
  for (const MatchRules& rules : likematch::k_rule_variants) {
    const VariantSet bit = likematch::variant_bit(rules);
    CHECK((seen & bit) == 0);
    CHECK(under(rules.self_likes, bit) ==
          likematch::variant_bit(MatchRules{rules.rule, rules.once}));
    seen |= bit;
  }
  CHECK(seen == likematch::k_all_variants);
}

TEST_CASE("matches the challenge's example at 4 and 7 under every rule", "[matcher]") {
  Script run;
  CHECK(run(LikeType::unspecified, 300, 100) == 0);
  CHECK(run.like(100, 200) == 0);
  CHECK(run(LikeType::not_liked, 300, 200) == 0);
  CHECK(run.like(200, 100) == k_all);
  CHECK(run.answering() == 2);
  CHECK(run.like(300, 100) == 0);
  CHECK(run(LikeType::unspecified, 200, 300) == 0);
  CHECK(run.like(100, 300) == k_all);
  CHECK(run.answering() == 5);
}

TEST_CASE("a like answers only a like the other way, never one the same way", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);
  CHECK(run.like(1, 2) == 0);
  CHECK(run.like(2, 3) == 0);
  CHECK(run.like(3, 1) == 0);
}

TEST_CASE("only LIKE_LIKED completes a match", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);
  CHECK(run(LikeType::not_liked, 2, 1) == 0);
  CHECK(run(LikeType::unspecified, 2, 1) == 0);
}

TEST_CASE("ever matches every later like the other way; once only the first", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);
  CHECK(run.like(2, 1) == k_all);  // 2
  CHECK(run.answering() == 1);
  // Repeats count under ever and latest, but the pair has had its once.
  CHECK(run.like(2, 1) == all(bits::ever | bits::latest));  // 3
  CHECK(run.answering() == 1);
  CHECK(run.like(1, 2) == all(bits::ever | bits::latest));  // 4
  CHECK(run.answering() == 3);                              // the latest like the other way
}

TEST_CASE("latest needs the other side's latest word to be a like", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);                                  // 1
  CHECK(run(LikeType::not_liked, 1, 2) == 0);                  // 2: 1 withdraws
  CHECK(run.like(2, 1) == all(bits::ever | bits::ever_once));  // 3
  CHECK(run.answering() == 1);  // the like 2 answers is still the one at 1
  CHECK(run.like(1, 2) == all(bits::ever | bits::latest | bits::latest_once));  // 4
  CHECK(run.answering() == 3);
}

TEST_CASE("LIKE_UNSPECIFIED withdraws a like under latest too", "[matcher]") {
  Script run;
  CHECK(run.like(5, 6) == 0);
  CHECK(run(LikeType::unspecified, 5, 6) == 0);
  CHECK(run.like(6, 5) == all(bits::ever | bits::ever_once));
}

TEST_CASE("a like after a withdrawal counts again under latest", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);                  // 1
  CHECK(run(LikeType::not_liked, 1, 2) == 0);  // 2
  CHECK(run.like(1, 2) == 0);                  // 3
  CHECK(run.like(2, 1) == k_all);              // 4
  CHECK(run.answering() == 3);
}

TEST_CASE("an event from one side does not withdraw the other side's like", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);
  CHECK(run(LikeType::not_liked, 2, 1) == 0);
  CHECK(run.like(2, 1) == k_all);
}

TEST_CASE("a withdrawal of a pair never seen changes nothing", "[matcher]") {
  Script run;
  CHECK(run(LikeType::not_liked, 1, 2) == 0);
  CHECK(run.like(2, 1) == 0);
  CHECK(run.like(1, 2) == k_all);
  CHECK(run.answering() == 2);
}

TEST_CASE("once is per unordered pair, counted separately per rule", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);                  // 1
  CHECK(run(LikeType::not_liked, 1, 2) == 0);  // 2
  // ever's once is used up here, latest has not matched yet.
  CHECK(run.like(2, 1) == all(bits::ever | bits::ever_once));                   // 3
  CHECK(run.like(1, 2) == all(bits::ever | bits::latest | bits::latest_once));  // 4
  CHECK(run.like(2, 1) == all(bits::ever | bits::latest));                      // 5
  // Other pairs are untouched.
  CHECK(run.like(1, 3) == 0);
  CHECK(run.like(3, 1) == k_all);
}

TEST_CASE("a self-like matches the earlier self-like under the literal rule", "[matcher]") {
  Script run;
  CHECK(under(SelfLikeRule::literal, run.like(7, 7)) == 0);       // 1: nothing earlier
  CHECK(under(SelfLikeRule::literal, run.like(7, 7)) == k_four);  // 2
  CHECK(run.answering() == 1);
  CHECK(under(SelfLikeRule::literal, run.like(7, 7)) == (bits::ever | bits::latest));  // 3
  CHECK(run.answering() == 2);
  CHECK(run(LikeType::unspecified, 7, 7) == 0);                       // 4
  CHECK(under(SelfLikeRule::literal, run.like(7, 7)) == bits::ever);  // 5: 7 took it back
  CHECK(run.answering() == 3);
}

TEST_CASE("every self-like is a match under the match rule, once only the first", "[matcher]") {
  Script run;
  CHECK(under(SelfLikeRule::match, run.like(7, 7)) == k_four);  // 1: the first included
  CHECK(run.answering() == 1);  // nothing earlier: it answers itself
  CHECK(under(SelfLikeRule::match, run.like(7, 7)) == (bits::ever | bits::latest));  // 2
  CHECK(run.answering() == 1);
  CHECK(run(LikeType::not_liked, 7, 7) == 0);  // 3: nothing to take back
  CHECK(under(SelfLikeRule::match, run.like(7, 7)) == (bits::ever | bits::latest));  // 4
  CHECK(run.answering() == 2);
  // Another user's first self-like is its own.
  CHECK(under(SelfLikeRule::match, run.like(8, 8)) == k_four);  // 5
  CHECK(run.answering() == 5);
}

TEST_CASE("a self-like is never a match under the ignore rule", "[matcher]") {
  Script run;
  for (int i = 0; i < 3; ++i) {
    CHECK(under(SelfLikeRule::ignore, run.like(7, 7)) == 0);
  }
}

TEST_CASE("self-likes touch no pair of two users", "[matcher]") {
  Script run;
  CHECK(run.like(1, 7) == 0);
  CHECK(under(SelfLikeRule::literal, run.like(7, 7)) == 0);
  CHECK(under(SelfLikeRule::literal, run.like(1, 1)) == 0);
  CHECK(run.like(7, 1) == k_all);
  CHECK(run.answering() == 1);
}

TEST_CASE("keeps users apart whatever their ids", "[matcher]") {
  Script run;
  constexpr std::uint64_t big = UINT64_MAX;
  CHECK(run.like(0, big) == 0);
  CHECK(run.like(big, 1) == 0);
  CHECK(run.like(1, 0) == 0);
  CHECK(run.like(big, 0) == k_all);
  CHECK(run.answering() == 1);
}

TEST_CASE("remembers many pairs", "[matcher]") {
  Matcher matcher;
  std::uint64_t seq = 0;
  for (std::uint64_t user = 1; user <= 20'000; ++user) {
    REQUIRE(matcher.on_event(Event{++seq, LikeType::liked, user, user + 1'000'000}).variants == 0);
  }
  for (std::uint64_t user = 1; user <= 20'000; ++user) {
    const auto outcome = matcher.on_event(Event{++seq, LikeType::liked, user + 1'000'000, user});
    REQUIRE(outcome.variants == k_all);
    REQUIRE(outcome.answering_seq == user);
  }
}

TEST_CASE("a matcher that does not track latest gives the same ever bits and no latest bits",
          "[matcher]") {
  likematch::Matcher full;
  likematch::Matcher ever_only(/*track_latest=*/false);
  const std::vector<likematch::Event> events{
      {1, likematch::LikeType::liked, 1, 2}, {2, likematch::LikeType::not_liked, 1, 2},
      {3, likematch::LikeType::liked, 2, 1}, {4, likematch::LikeType::liked, 1, 2},
      {5, likematch::LikeType::liked, 2, 1},
  };
  for (const likematch::Event& event : events) {
    const auto every = full.on_event(event);
    const auto some = ever_only.on_event(event);
    INFO("seq " << event.seq);
    constexpr VariantSet ever_bits = all(bits::ever | bits::ever_once);
    CHECK(some.variants == (every.variants & ever_bits));
    CHECK(some.answering_seq == every.answering_seq);
  }
}

TEST_CASE("a matcher that does not track latest gives no latest bits for self-likes either",
          "[matcher]") {
  Script run(/*track_latest=*/false);
  const VariantSet ever_bits = bits::ever | bits::ever_once;
  const VariantSet first = run.like(7, 7);
  CHECK(under(SelfLikeRule::literal, first) == 0);
  CHECK(under(SelfLikeRule::match, first) == ever_bits);
  CHECK(under(SelfLikeRule::ignore, first) == 0);
  const VariantSet second = run.like(7, 7);
  CHECK(under(SelfLikeRule::literal, second) == ever_bits);
  CHECK(under(SelfLikeRule::match, second) == bits::ever);
}

// The two passes the engine makes: arrive() for each event in the order given, decide() in
// sequence order as soon as every smaller number has arrived (or, once all have arrived, over
// the numbers that never came, after seal()). One outcome per event, by sequence number.
namespace {

// With `apply_now_one_in` > 0, decisions go through defer_if_cold as the engine makes them,
// asking to apply a cold event at once one time in that many.
std::vector<Matcher::Outcome> two_passes(Matcher& matcher, const std::vector<Event>& arrivals,
                                         std::uint64_t last_seq, std::uint64_t apply_now_one_in = 0,
                                         likematch::Random* random = nullptr) {
  std::vector<const Event*> by_seq(last_seq + 1, nullptr);
  std::vector<Matcher::Outcome> outcomes(last_seq + 1);
  const auto decide = [&](const Event& event) {
    if (apply_now_one_in == 0) {
      return matcher.decide(event);
    }
    const bool apply_now = random->below(apply_now_one_in) == 0;
    return matcher.defer_if_cold(event, apply_now) ? Matcher::Outcome{} : matcher.on_event(event);
  };
  std::uint64_t next = 1;
  for (const Event& event : arrivals) {
    matcher.arrive(event);
    by_seq[event.seq] = &event;
    for (; next <= last_seq && by_seq[next] != nullptr; ++next) {
      outcomes[next] = decide(*by_seq[next]);
    }
  }
  matcher.seal();
  for (; next <= last_seq; ++next) {
    if (by_seq[next] != nullptr) {
      outcomes[next] = decide(*by_seq[next]);
    }
  }
  return outcomes;
}

// on_event over `arrivals` in sequence order.
std::vector<Matcher::Outcome> in_order(bool track_latest, std::vector<Event> arrivals,
                                       std::uint64_t last_seq) {
  std::sort(arrivals.begin(), arrivals.end(),
            [](const Event& a, const Event& b) { return a.seq < b.seq; });
  Matcher matcher(track_latest);
  std::vector<Matcher::Outcome> outcomes(last_seq + 1);
  for (const Event& event : arrivals) {
    outcomes[event.seq] = matcher.on_event(event);
  }
  return outcomes;
}

void check_same_outcomes(const std::vector<Matcher::Outcome>& got,
                         const std::vector<Matcher::Outcome>& expected) {
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

TEST_CASE("arrive then decide gives on_event's outcome for every event, in any arrival order",
          "[matcher][passes]") {
  likematch::Random random(17);
  std::size_t hot_runs = 0;
  std::size_t cold_runs = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    likematch::GeneratorOptions options;
    options.seed = seed;
    const std::uint64_t sizes[] = {10, 100, 1'000, 20'000};
    options.events = 1 + random.below(sizes[random.below(4)]);
    const std::uint64_t users[] = {1, 2, 5, 50, 1'000, 100'000};
    options.users = users[random.below(6)];
    options.self_likes = options.users == 1 || random.below(2) == 0;
    const likematch::ShuffleKind kinds[] = {
        likematch::ShuffleKind::none, likematch::ShuffleKind::full, likematch::ShuffleKind::window};
    options.shuffle = {kinds[random.below(3)], 1 + random.below(100)};
    std::vector<Event> events = likematch::generate_events(options);
    // Some numbers never arrive: what follows them is decided after seal().
    if (random.below(3) == 0) {
      std::erase_if(events, [&](const Event&) { return random.below(50) == 0; });
    }
    const bool track_latest = random.below(4) != 0;
    INFO("seed " << seed << ", events " << options.events << ", users " << options.users
                 << ", shuffle " << likematch::to_string(options.shuffle) << ", latest "
                 << track_latest);
    // Cold events applied at once (as for the first events one insert hands out) or not.
    const std::uint64_t apply_now_one_in[] = {0, 1, 2, 20};
    const std::uint64_t one_in = apply_now_one_in[random.below(4)];
    INFO("cold events applied at once one time in " << one_in);
    Matcher matcher(track_latest);
    check_same_outcomes(two_passes(matcher, events, options.events, one_in, &random),
                        in_order(track_latest, events, options.events));
    hot_runs += matcher.hot_pairs() != 0 ? 1 : 0;
    cold_runs += matcher.hot_pairs() < matcher.pairs() ? 1 : 0;
  }
  // Both kinds of pair were met, in many runs.
  CHECK(hot_runs > 100);
  CHECK(cold_runs > 100);
}

TEST_CASE("a pair turning hot takes its events decided cold first, in order", "[matcher][passes]") {
  // 2 likes 1 at 1 and withdraws at 2, both decided while the pair is cold; 1 likes 2 at 3.
  const std::vector<Event> events = {
      {1, LikeType::liked, 2, 1}, {2, LikeType::not_liked, 2, 1}, {3, LikeType::liked, 1, 2}};
  const VariantSet ever_first = all(bits::ever | bits::ever_once);
  SECTION("in order") {
    Matcher matcher;
    const auto outcomes = two_passes(matcher, events, 3);
    CHECK(outcomes[3].variants == ever_first);
    CHECK(outcomes[3].answering_seq == 1);
  }
  SECTION("the withdrawal arriving before the like it withdraws") {
    // 2 waits for 1; then 1 and 2 are decided cold and kept; 3 turns the pair hot.
    Matcher matcher;
    const auto outcomes = two_passes(matcher, {events[1], events[0], events[2]}, 3);
    CHECK(outcomes[1].variants == 0);
    CHECK(outcomes[2].variants == 0);
    CHECK(outcomes[3].variants == ever_first);
    CHECK(outcomes[3].answering_seq == 1);
  }
}

TEST_CASE("a self-like makes its pair hot at once", "[matcher][passes]") {
  Matcher matcher;
  const auto outcomes =
      two_passes(matcher, {{2, LikeType::liked, 7, 7}, {1, LikeType::liked, 7, 7}}, 2);
  CHECK(matcher.hot_pairs() == 1);
  CHECK(under(SelfLikeRule::literal, outcomes[1].variants) == 0);
  CHECK(under(SelfLikeRule::literal, outcomes[2].variants) == k_four);  // the pair's first match
  CHECK(outcomes[2].answering_seq == 1);
  CHECK(under(SelfLikeRule::match, outcomes[1].variants) == k_four);
}

TEST_CASE("cold events past the list's bound are replayed by the next arrival and still count",
          "[matcher][passes]") {
  // Cold likes in order (one word each) until the list is past its bound; then a withdrawal,
  // which turns no pair hot but finds the list past its bound; then the like back to the
  // first of them.
  constexpr std::uint64_t k_other = std::uint64_t{1} << 22;  // the liked users: k_other + seq
  Matcher matcher(/*track_latest=*/false);
  std::uint64_t seq = 0;
  while (matcher.deferred_words() <= Matcher::k_max_deferred_words) {
    ++seq;
    const Event like{seq, LikeType::liked, seq, k_other + seq};
    matcher.arrive(like);
    REQUIRE(matcher.decide(like).variants == 0);
  }
  const std::uint64_t count = seq;
  const Event withdrawal{count + 1, LikeType::not_liked, 7, 8};
  matcher.arrive(withdrawal);
  CHECK(matcher.deferred_words() == 0);
  CHECK(matcher.hot_pairs() == 0);
  CHECK(matcher.decide(withdrawal).variants == 0);
  const Event like_back{count + 2, LikeType::liked, k_other + 1, 1};
  matcher.arrive(like_back);
  const Matcher::Outcome outcome = matcher.decide(like_back);
  CHECK(matcher.hot_pairs() == 1);
  CHECK(outcome.variants == all(bits::ever | bits::ever_once));
  CHECK(outcome.answering_seq == 1);
}
