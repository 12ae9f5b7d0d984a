#include "core/engine/matcher.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

using likematch::Event;
using likematch::LikeType;
using likematch::Matcher;
using likematch::MatchRules;
using likematch::Rule;

namespace {

constexpr std::uint8_t k_all =
    Matcher::ever | Matcher::latest | Matcher::ever_once | Matcher::latest_once;

// Feeds events in order (seq = position + 1) and returns each one's variant bits.
class Script {
 public:
  std::uint8_t operator()(LikeType type, std::uint64_t from, std::uint64_t to) {
    m_last = m_matcher.on_event(Event{++m_seq, type, from, to});
    return m_last.variants;
  }
  std::uint8_t like(std::uint64_t from, std::uint64_t to) {
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
  CHECK(likematch::variant_bit(MatchRules{Rule::ever, false}) == Matcher::ever);
  CHECK(likematch::variant_bit(MatchRules{Rule::latest, false}) == Matcher::latest);
  CHECK(likematch::variant_bit(MatchRules{Rule::ever, true}) == Matcher::ever_once);
  CHECK(likematch::variant_bit(MatchRules{Rule::latest, true}) == Matcher::latest_once);
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
  CHECK(run.like(2, 1) == (Matcher::ever | Matcher::latest));  // 3
  CHECK(run.answering() == 1);
  CHECK(run.like(1, 2) == (Matcher::ever | Matcher::latest));  // 4
  CHECK(run.answering() == 3);                                 // the latest like the other way
}

TEST_CASE("latest needs the other side's latest word to be a like", "[matcher]") {
  Script run;
  CHECK(run.like(1, 2) == 0);                                     // 1
  CHECK(run(LikeType::not_liked, 1, 2) == 0);                     // 2: 1 withdraws
  CHECK(run.like(2, 1) == (Matcher::ever | Matcher::ever_once));  // 3
  CHECK(run.answering() == 1);  // the like 2 answers is still the one at 1
  CHECK(run.like(1, 2) == (Matcher::ever | Matcher::latest | Matcher::latest_once));  // 4
  CHECK(run.answering() == 3);
}

TEST_CASE("LIKE_UNSPECIFIED withdraws a like under latest too", "[matcher]") {
  Script run;
  CHECK(run.like(5, 6) == 0);
  CHECK(run(LikeType::unspecified, 5, 6) == 0);
  CHECK(run.like(6, 5) == (Matcher::ever | Matcher::ever_once));
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
  CHECK(run.like(2, 1) == (Matcher::ever | Matcher::ever_once));                      // 3
  CHECK(run.like(1, 2) == (Matcher::ever | Matcher::latest | Matcher::latest_once));  // 4
  CHECK(run.like(2, 1) == (Matcher::ever | Matcher::latest));                         // 5
  // Other pairs are untouched.
  CHECK(run.like(1, 3) == 0);
  CHECK(run.like(3, 1) == k_all);
}

TEST_CASE("a self-like matches the earlier self-like, as the rule says literally", "[matcher]") {
  Script run;
  CHECK(run.like(7, 7) == 0);      // 1: nothing earlier from 7 to 7
  CHECK(run.like(7, 7) == k_all);  // 2
  CHECK(run.answering() == 1);
  CHECK(run.like(7, 7) == (Matcher::ever | Matcher::latest));  // 3
  CHECK(run.answering() == 2);
  CHECK(run(LikeType::unspecified, 7, 7) == 0);  // 4
  CHECK(run.like(7, 7) == Matcher::ever);        // 5: latest word from 7 to 7 was 4
  CHECK(run.answering() == 3);
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
    const auto all = full.on_event(event);
    const auto some = ever_only.on_event(event);
    INFO("seq " << event.seq);
    constexpr std::uint8_t ever_bits = likematch::Matcher::ever | likematch::Matcher::ever_once;
    CHECK(some.variants == (all.variants & ever_bits));
    CHECK(some.answering_seq == all.answering_seq);
  }
}
