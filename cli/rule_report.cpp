#include "cli/rule_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "cli/rule_words.hpp"

namespace likematch::cli {

namespace {

constexpr std::size_t k_differences_listed = 5;
constexpr std::size_t k_differences_explained = 10;

// One line on where the lists of two variants diverge; the numbers it names go to `explained`.
std::string divergence_line(const RuleComparison& comparison, const MatchRules& a,
                            const MatchRules& b, std::set<std::uint64_t>& explained) {
  const std::string first = describe(a);
  const std::string second = describe(b);
  const auto differences = comparison.differences(a, b, k_differences_listed);
  if (differences.empty()) {
    return fmt::format("{} and {}: the same list\n", first, second);
  }
  std::vector<std::string> places;
  for (const auto& difference : differences) {
    places.push_back(
        fmt::format("{} ({} only)", difference.seq, difference.in_first ? first : second));
    explained.insert(difference.seq);
  }
  return fmt::format("{} and {} diverge at {}{}\n", first, second, fmt::join(places, ", "),
                     differences.size() == k_differences_listed ? ", ..." : "");
}

}  // namespace

std::string format_rule_report(const RuleComparison& comparison, bool explain) {
  std::size_t width = 15;
  for (const MatchRules& rules : k_rule_variants) {
    width = std::max(width, describe(rules).size());
  }
  std::string text = fmt::format("{:<{}} {:>9}\n", "rule", width, "matches");
  for (const MatchRules& rules : k_rule_variants) {
    text += fmt::format("{:<{}} {:>9}\n", describe(rules), width, comparison.matches(rules).size());
  }
  text += '\n';
  std::set<std::uint64_t> explained;  // each number once, in order, however many pairs it divides
  // Every two of the four (rule, once) variants, read literally; then each of them against its
  // own reading under the other self-like rules (only self-likes can set those apart).
  const std::size_t literal = k_bits_per_self_like_rule;
  for (std::size_t i = 0; i < literal; ++i) {
    for (std::size_t j = i + 1; j < literal; ++j) {
      text += divergence_line(comparison, k_rule_variants[i], k_rule_variants[j], explained);
    }
  }
  bool self_likes_differ = false;
  for (std::size_t i = literal; i < k_rule_variants.size(); ++i) {
    const MatchRules& other = k_rule_variants[i];
    if (comparison.matches(other) != comparison.matches({other.rule, other.once})) {
      self_likes_differ = true;
    }
  }
  if (!self_likes_differ) {
    // Then the stream has no LIKE_LIKED from a user to itself: under `match` it would be a
    // match, under `ignore` not.
    text +=
        "--self-like-rule literal, match and ignore: the same lists (no LIKE_LIKED from a user "
        "to itself)\n";
  } else {
    for (std::size_t i = 0; i < literal; ++i) {
      for (const SelfLikeRule self_likes : {SelfLikeRule::match, SelfLikeRule::ignore}) {
        MatchRules other = k_rule_variants[i];
        other.self_likes = self_likes;
        text += divergence_line(comparison, k_rule_variants[i], other, explained);
      }
    }
  }
  if (explain && !explained.empty()) {
    text += "\nwhy:\n";
    std::size_t shown = 0;
    for (const std::uint64_t seq : explained) {
      if (shown++ == k_differences_explained) {
        break;
      }
      text += fmt::format("  {}\n", cli::explain(*comparison.explain(seq)));
    }
  }
  return text;
}

}  // namespace likematch::cli
