#include "cli/rule_report.hpp"

#include <fmt/format.h>

#include <set>

#include "cli/rule_words.hpp"

namespace likematch::cli {

namespace {

constexpr std::size_t k_differences_listed = 5;
constexpr std::size_t k_differences_explained = 10;

}  // namespace

std::string format_rule_report(const RuleComparison& comparison, bool explain) {
  std::string text = fmt::format("{:<15} {:>9}\n", "rule", "matches");
  for (const MatchRules& rules : k_rule_variants) {
    text += fmt::format("{:<15} {:>9}\n", describe(rules), comparison.matches(rules).size());
  }
  text += '\n';
  std::set<std::uint64_t> explained;  // each number once, in order, however many pairs it divides
  for (std::size_t i = 0; i < k_rule_variants.size(); ++i) {
    for (std::size_t j = i + 1; j < k_rule_variants.size(); ++j) {
      const std::string first = describe(k_rule_variants[i]);
      const std::string second = describe(k_rule_variants[j]);
      const auto differences =
          comparison.differences(k_rule_variants[i], k_rule_variants[j], k_differences_listed);
      if (differences.empty()) {
        text += fmt::format("{} and {}: the same list\n", first, second);
        continue;
      }
      std::vector<std::string> places;
      for (const auto& difference : differences) {
        places.push_back(
            fmt::format("{} ({} only)", difference.seq, difference.in_first ? first : second));
      }
      text += fmt::format("{} and {} diverge at {}{}\n", first, second, fmt::join(places, ", "),
                          differences.size() == k_differences_listed ? ", ..." : "");
      for (const auto& difference : differences) {
        explained.insert(difference.seq);
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
