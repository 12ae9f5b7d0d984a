// The reference matcher's three self-like rules, on the stream of testdata/self_likes.events
// (worked out by hand in testdata/README.md).
#include "core/rules/reference_matcher.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

namespace likematch {
namespace {

// 7 likes itself at 1, 4 and 6 and takes it back at 5; 8 likes itself at 7; {1, 2} match at 3.
const std::vector<Event> k_events{
    {4, LikeType::liked, 7, 7}, {2, LikeType::liked, 1, 2},     {8, LikeType::unspecified, 9, 9},
    {1, LikeType::liked, 7, 7}, {6, LikeType::liked, 7, 7},     {3, LikeType::liked, 2, 1},
    {7, LikeType::liked, 8, 8}, {5, LikeType::not_liked, 7, 7},
};

std::vector<std::uint64_t> seqs(const MatchRules& rules) {
  std::vector<std::uint64_t> result;
  for (const Match& match : reference_matches(k_events, rules)) {
    result.push_back(match.seq);
  }
  return result;
}

using List = std::vector<std::uint64_t>;

TEST_CASE("the reference reads a self-like literally by default", "[reference]") {
  CHECK(seqs({Rule::ever, false, SelfLikeRule::literal}) == List{3, 4, 6});
  CHECK(seqs({Rule::latest, false, SelfLikeRule::literal}) == List{3, 4});
  CHECK(seqs({Rule::ever, true, SelfLikeRule::literal}) == List{3, 4});
  CHECK(seqs({Rule::latest, true, SelfLikeRule::literal}) == List{3, 4});
}

TEST_CASE("the reference makes every self-like a match under match, once the first",
          "[reference]") {
  CHECK(seqs({Rule::ever, false, SelfLikeRule::match}) == List{1, 3, 4, 6, 7});
  CHECK(seqs({Rule::latest, false, SelfLikeRule::match}) == List{1, 3, 4, 6, 7});
  CHECK(seqs({Rule::ever, true, SelfLikeRule::match}) == List{1, 3, 7});
  CHECK(seqs({Rule::latest, true, SelfLikeRule::match}) == List{1, 3, 7});
  const std::vector<Match> matches =
      reference_matches(k_events, {Rule::ever, false, SelfLikeRule::match});
  REQUIRE(matches.size() == 5);
  CHECK(matches[0] == Match{1, 7, 7, 1});  // the first answers itself
  CHECK(matches[2] == Match{4, 7, 7, 1});
  CHECK(matches[3] == Match{6, 7, 7, 4});
  CHECK(matches[4] == Match{7, 8, 8, 7});
}

TEST_CASE("the reference never matches a self-like under ignore", "[reference]") {
  for (const Rule rule : {Rule::ever, Rule::latest}) {
    for (const bool once : {false, true}) {
      CHECK(seqs({rule, once, SelfLikeRule::ignore}) == List{3});
    }
  }
}

}  // namespace
}  // namespace likematch
