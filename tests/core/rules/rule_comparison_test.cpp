#include "core/rules/rule_comparison.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/harness/generator.hpp"
#include "tests/support/compare_rules.hpp"
#include "tests/support/streams.hpp"

namespace likematch {
namespace {

using test::compare_rules;
using test::expected_list;
using test::stream_text;

TEST_CASE("every variant's list equals the reference matcher under that variant",
          "[rule_comparison]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    GeneratorOptions options;
    options.events = 3000;
    options.users = 2 + seed * 3;  // few users: repeats, withdrawals and self-likes
    options.seed = seed;
    options.self_likes = seed % 2 == 0;
    const std::vector<Event> events = generate_events(options);
    const RuleComparison comparison = compare_rules(stream_text(events, test::k_lines_only));
    for (const MatchRules& rules : k_rule_variants) {
      INFO("seed " << seed << ", rule " << to_string(rules.rule) << (rules.once ? " once" : "")
                   << ", self-likes " << to_string(rules.self_likes));
      CHECK(comparison.matches(rules) == expected_list(events, rules));
    }
  }
}

TEST_CASE("differences list the numbers in exactly one list, smallest first", "[rule_comparison]") {
  // 1: 1->2 likes; 2: 2->1 likes (match for all); 3: 1->2 withdraws; 4: 2->1 likes again
  // (ever: match, the like at 1 stands; latest: no, 1->2 took it back at 3); 5: 1->2 likes
  // (ever and latest: match, answering 4; once: the pair matched at 2).
  const RuleComparison comparison = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  const RuleComparison& c = comparison;
  CHECK(c.matches({Rule::ever, false}) == std::vector<std::uint64_t>{2, 4, 5});
  CHECK(c.matches({Rule::latest, false}) == std::vector<std::uint64_t>{2, 5});
  CHECK(c.matches({Rule::ever, true}) == std::vector<std::uint64_t>{2});
  CHECK(c.matches({Rule::latest, true}) == std::vector<std::uint64_t>{2});

  const auto parted = c.differences({Rule::ever, false}, {Rule::latest, false}, 10);
  REQUIRE(parted.size() == 1);
  CHECK(parted[0].seq == 4);
  CHECK(parted[0].in_first);
  const auto reversed = c.differences({Rule::latest, false}, {Rule::ever, false}, 10);
  REQUIRE(reversed.size() == 1);
  CHECK_FALSE(reversed[0].in_first);
  CHECK(c.differences({Rule::ever, true}, {Rule::latest, true}, 10).empty());
  CHECK(c.differences({Rule::ever, false}, {Rule::ever, true}, 1).size() == 1);
}

TEST_CASE("explain names the withdrawing event and the earlier match", "[rule_comparison]") {
  const RuleComparison comparison = compare_rules(
      "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_NOT_LIKED|1|2\n4|LIKE_LIKED|2|1\n"
      "5|LIKE_LIKED|1|2\n");
  const std::optional<VariantExplanation> fourth = comparison.explain(4);
  REQUIRE(fourth);
  CHECK(fourth->match == Match{4, 2, 1, 1});
  CHECK(fourth->variants == under_every_self_like_rule(variant_bit({Rule::ever, false})));
  CHECK(fourth->withdrawal == Event{3, LikeType::not_liked, 1, 2});
  CHECK(fourth->first_match_ever == 2);
  const std::optional<VariantExplanation> fifth = comparison.explain(5);
  REQUIRE(fifth);
  CHECK(fifth->variants == under_every_self_like_rule(variant_bit({Rule::ever, false}) |
                                                      variant_bit({Rule::latest, false})));
  CHECK_FALSE(fifth->withdrawal);
  CHECK(fifth->first_match_ever == 2);
  CHECK(fifth->first_match_latest == 2);
  CHECK_FALSE(comparison.explain(3));
}

TEST_CASE("every like taken back under latest is explained with the event that took it back",
          "[rule_comparison]") {
  // Many pairs, so that the filter of liked pairs is well populated: it must never miss one.
  GeneratorOptions options;
  options.events = 20000;
  options.users = 60;
  options.seed = 5;
  const RuleComparison comparison =
      compare_rules(stream_text(generate_events(options), test::k_lines_only));
  const auto ever_only =
      comparison.differences({Rule::ever, false}, {Rule::latest, false}, 1'000'000);
  REQUIRE(ever_only.size() > 10);
  for (const auto& difference : ever_only) {
    INFO(difference.seq);
    REQUIRE(difference.in_first);
    const std::optional<VariantExplanation> why = comparison.explain(difference.seq);
    REQUIRE(why);
    REQUIRE(why->withdrawal);
    CHECK(why->withdrawal->type != LikeType::liked);
    CHECK(why->withdrawal->seq > why->match.answering_seq);
  }
}

// 7 likes itself at 1, 4 and 6 and takes it back at 5; 8 likes itself at 7; {1, 2} match at 3
// (testdata/self_likes.events, in order).
constexpr const char* k_self_likes =
    "1|LIKE_LIKED|7|7\n2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|7|7\n"
    "5|LIKE_NOT_LIKED|7|7\n6|LIKE_LIKED|7|7\n7|LIKE_LIKED|8|8\n8|LIKE_UNSPECIFIED|9|9\n";

VariantSet under_match(VariantSet four) {
  return static_cast<VariantSet>(four << 4);
}

TEST_CASE("the self-like rules have lists of their own", "[rule_comparison]") {
  const RuleComparison c = compare_rules(k_self_likes);
  using List = std::vector<std::uint64_t>;
  CHECK(c.matches({Rule::ever, false}) == List{3, 4, 6});
  CHECK(c.matches({Rule::latest, true}) == List{3, 4});
  CHECK(c.matches({Rule::ever, false, SelfLikeRule::match}) == List{1, 3, 4, 6, 7});
  CHECK(c.matches({Rule::latest, true, SelfLikeRule::match}) == List{1, 3, 7});
  CHECK(c.matches({Rule::latest, false, SelfLikeRule::ignore}) == List{3});
  // The first self-like is where the readings first disagree.
  CHECK(c.first_divergence() == 1);
}

TEST_CASE("explain gives a self-like's first self-like, its answer and its withdrawal",
          "[rule_comparison]") {
  const RuleComparison c = compare_rules(k_self_likes);
  const std::optional<VariantExplanation> first = c.explain(1);
  REQUIRE(first);
  CHECK(first->match == Match{1, 7, 7, 1});  // nothing earlier: it answers itself
  CHECK(first->variants == under_match(0xF));
  CHECK(first->first_self_like == 1);
  CHECK(first->first_match_ever == 0);

  const std::optional<VariantExplanation> sixth = c.explain(6);
  REQUIRE(sixth);
  CHECK(sixth->match == Match{6, 7, 7, 4});
  CHECK(sixth->variants ==
        (variant_bit({Rule::ever, false}) |
         under_match(variant_bit({Rule::ever, false}) | variant_bit({Rule::latest, false}))));
  CHECK(sixth->withdrawal == Event{5, LikeType::not_liked, 7, 7});
  CHECK(sixth->first_match_ever == 4);
  CHECK(sixth->first_self_like == 1);

  // Between two users, the self-like rules agree.
  const std::optional<VariantExplanation> third = c.explain(3);
  REQUIRE(third);
  CHECK(third->variants == k_all_variants);
  CHECK(third->first_self_like == 0);
  CHECK_FALSE(c.explain(8));
}

}  // namespace
}  // namespace likematch
