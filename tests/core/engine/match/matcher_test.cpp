#include "core/engine/match/matcher.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

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

// Feeds events in order (seq = position + 1), each arriving just before it is decided, and
// returns each one's variant bits.
class Script {
 public:
  explicit Script(bool track_latest = true) : m_matcher(track_latest) {}

  VariantSet operator()(LikeType type, std::uint64_t from, std::uint64_t to) {
    const Event event{++m_seq, type, from, to};
    m_matcher.arrive(event);
    m_last = m_matcher.decide(event);
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
    const Event like{++seq, LikeType::liked, user, user + 1'000'000};
    matcher.arrive(like);
    REQUIRE(matcher.decide(like).variants == 0);
  }
  for (std::uint64_t user = 1; user <= 20'000; ++user) {
    const Event like_back{++seq, LikeType::liked, user + 1'000'000, user};
    matcher.arrive(like_back);
    const auto outcome = matcher.decide(like_back);
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
    full.arrive(event);
    ever_only.arrive(event);
    const auto every = full.decide(event);
    const auto some = ever_only.decide(event);
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

TEST_CASE("a pair turns hot with the arrival of its second direction's like, once", "[matcher]") {
  Matcher matcher;
  const Event like_1_2{1, LikeType::liked, 1, 2};
  const Event dislike_2_1{2, LikeType::not_liked, 2, 1};
  const Event like_2_1{3, LikeType::liked, 2, 1};
  CHECK_FALSE(matcher.arrive(like_1_2));
  CHECK_FALSE(matcher.arrive(dislike_2_1));
  CHECK_FALSE(matcher.is_hot(like_1_2));
  CHECK(matcher.arrive(like_2_1));
  CHECK(matcher.is_hot(like_1_2));
  CHECK(matcher.is_hot(dislike_2_1));  // the pair, whatever the event's direction and type
  CHECK_FALSE(matcher.arrive(like_2_1));
  CHECK(matcher.hot_pairs() == 1);
  CHECK_FALSE(matcher.is_hot(Event{4, LikeType::liked, 1, 3}));
}
