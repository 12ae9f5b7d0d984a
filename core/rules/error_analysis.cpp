#include "core/rules/error_analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace likematch {

namespace {

// A variant that parts from the list sent, within what was sent.
struct Suspect {
  MatchRules rules;
  // 1-based: at the number sent in this place the listener could tell (ours.size() + 1: it
  // waited for a number after the last).
  std::size_t place = 0;
  std::size_t write = 0;  // the write that carried that number
};

// Which write carried the number sent in `place` (writes.size(): none yet, it was awaited).
std::size_t write_of(const std::vector<std::size_t>& writes, std::size_t place) {
  if (writes.empty()) {
    return place;
  }
  return static_cast<std::size_t>(std::lower_bound(writes.begin(), writes.end(), place) -
                                  writes.begin());
}

std::string options_for(const MatchRules& rules) {
  return fmt::format("--rule {}", describe(rules));
}

}  // namespace

std::vector<std::string> diagnose_error(const RuleComparison& comparison, const SentPrefix& sent) {
  const std::vector<std::uint64_t>& ours = comparison.matches(sent.rules);
  const std::size_t count = std::min(sent.count, ours.size());
  const bool all_sent = sent.complete && count == ours.size();
  std::vector<std::string> lines;
  if (count == 0) {
    lines.push_back(fmt::format("the listener had been sent no number (rule {}{})",
                                describe(sent.rules), all_sent ? ", the whole list" : ""));
  } else {
    lines.push_back(fmt::format("the listener had been sent {} number{}, the last {} (rule {}{})",
                                count, count == 1 ? "" : "s", ours[count - 1], describe(sent.rules),
                                all_sent ? ", the whole list" : ""));
  }

  std::vector<Suspect> suspects;
  for (const MatchRules& other : k_rule_variants) {
    if (other == sent.rules) {
      continue;
    }
    const auto parted = comparison.differences(sent.rules, other, 1);
    if (parted.empty()) {
      lines.push_back(fmt::format("{}: the same list", describe(other)));
      continue;
    }
    const std::uint64_t seq = parted.front().seq;
    const bool ours_only = parted.front().in_first;
    // The first number sent at or after the parting point is where a listener expecting
    // `other` sees a difference (ours_only: it is the number itself).
    const auto at = std::lower_bound(ours.begin(), ours.end(), seq);
    const std::size_t place = static_cast<std::size_t>(at - ours.begin()) + 1;
    if (place > count && !(all_sent && at == ours.end())) {
      lines.push_back(fmt::format("{}: the same numbers up to the last one sent", describe(other)));
      continue;
    }
    suspects.push_back({other, place, write_of(sent.writes, place)});
    std::string what;
    if (ours_only) {
      what = fmt::format("would not have sent {} (sent as number {})", seq, place);
    } else if (at == ours.end()) {
      what = fmt::format("would have sent {} after the last number", seq);
    } else {
      what = fmt::format("would have sent {} before {} (sent as number {})", seq, *at, place);
    }
    lines.push_back(fmt::format("{}: {}: {}", describe(other), what, comparison.explain(seq)));
  }

  if (suspects.empty()) {
    lines.push_back(
        fmt::format("the four rule variants agree on everything sent: the fault is not the rule "
                    "(see the warnings about the input above, and the harness's own log)"));
    return lines;
  }
  std::stable_sort(suspects.begin(), suspects.end(),
                   [](const Suspect& a, const Suspect& b) { return a.write > b.write; });
  std::vector<std::string> tied;
  for (const Suspect& suspect : suspects) {
    if (suspect.write == suspects.front().write) {
      tied.push_back(describe(suspect.rules));
    }
  }
  if (tied.size() > 1) {
    lines.push_back(
        fmt::format("{} part from what was sent within one write: which the listener "
                    "caught is not known, so their order below is a guess",
                    fmt::join(tied, ", ")));
  }
  std::vector<std::string> tries;
  for (const Suspect& suspect : suspects) {
    tries.push_back(options_for(suspect.rules));
  }
  lines.push_back(fmt::format("try: likematch serve {}", fmt::join(tries, ", else ")));
  return lines;
}

}  // namespace likematch
