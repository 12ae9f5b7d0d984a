#include "core/reference_matcher.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace likematch {

std::vector<Match> reference_matches(const std::vector<Event>& events, const MatchRules& rules) {
  std::map<std::uint64_t, Event> in_order;
  for (const Event& event : events) {
    in_order.try_emplace(event.seq, event);  // the first copy wins
  }

  using Pair = std::pair<std::uint64_t, std::uint64_t>;
  std::map<Pair, std::uint64_t> last_like;  // directed pair -> seq of its latest LIKE_LIKED
  std::map<Pair, bool> latest_is_like;      // directed pair -> its latest event is LIKE_LIKED
  std::set<Pair> matched;                   // unordered pairs (smaller id first)

  std::vector<Match> matches;
  for (const auto& [seq, event] : in_order) {
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
      matches.push_back(Match{seq, event.from, event.to, answered->second});
    }
    last_like[own] = seq;
    latest_is_like[own] = true;
  }
  return matches;
}

}  // namespace likematch
