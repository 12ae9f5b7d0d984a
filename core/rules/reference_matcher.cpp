#include "core/rules/reference_matcher.hpp"

#include <range/v3/action/stable_sort.hpp>
#include <range/v3/action/unique.hpp>
#include <range/v3/range/conversion.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace likematch {

namespace {

using Pair = std::pair<std::uint64_t, std::uint64_t>;

struct PairHash {
  std::size_t operator()(const Pair& pair) const {
    return std::hash<std::uint64_t>()(pair.first * 0x9e3779b97f4a7c15ULL ^ pair.second);
  }
};

}  // namespace

std::vector<Match> reference_matches(const std::vector<Event>& events, const MatchRules& rules) {
  // Sequence order, one event per number: a stable sort keeps the copies of a number in arrival
  // order, and unique keeps the first of them.
  const std::vector<Event> in_order = events | ranges::to<std::vector>() |
                                      ranges::actions::stable_sort(std::less{}, &Event::seq) |
                                      ranges::actions::unique(std::equal_to{}, &Event::seq);

  std::unordered_map<Pair, std::uint64_t, PairHash> last_like;  // directed pair -> seq of its
                                                                // latest LIKE_LIKED
  std::unordered_map<Pair, bool, PairHash> latest_is_like;      // directed pair -> its latest event
                                                                // is LIKE_LIKED
  std::unordered_set<Pair, PairHash> matched;                   // unordered pairs, smaller id first
  std::unordered_map<std::uint64_t, std::uint64_t> self_liked;  // user -> seq of its latest
                                                                // LIKE_LIKED to itself (rule match)

  std::vector<Match> matches;
  for (const Event& event : in_order) {
    if (event.from == event.to && rules.self_likes == SelfLikeRule::ignore) {
      continue;  // never a match, and no state changes
    }
    if (event.from == event.to && rules.self_likes == SelfLikeRule::match) {
      // Every LIKE_LIKED from A to A is a match; with once only the first. The first answers
      // itself, the others the latest before them.
      if (event.type == LikeType::liked) {
        const auto earlier = self_liked.find(event.from);
        const bool first = earlier == self_liked.end();
        if (first || !rules.once) {
          matches.push_back(
              Match{event.seq, event.from, event.to, first ? event.seq : earlier->second});
        }
        self_liked[event.from] = event.seq;
      }
      continue;
    }
    // Otherwise a self-like (rule literal) is an event like any other.
    const Pair own{event.from, event.to};
    const Pair back{event.to, event.from};
    if (event.type != LikeType::liked) {
      latest_is_like[own] = false;
      continue;
    }
    const auto answered = last_like.find(back);
    bool match = rules.rule == Rule::ever ? answered != last_like.end()
                                          : latest_is_like.contains(back) && latest_is_like[back];
    if (match && rules.once) {
      match =
          matched.insert({std::min(event.from, event.to), std::max(event.from, event.to)}).second;
    }
    if (match) {
      matches.push_back(Match{event.seq, event.from, event.to, answered->second});
    }
    last_like[own] = event.seq;
    latest_is_like[own] = true;
  }
  return matches;
}

}  // namespace likematch
