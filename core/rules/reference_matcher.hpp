#pragma once

#include <vector>

#include "core/engine/input/event.hpp"
#include "core/engine/match/match_rules.hpp"

namespace likematch {

// The definition of the answer, written to be obviously right rather than fast: keep the
// first copy of each sequence number, sort, then replay with ordinary hash maps. It shares
// no code with the streaming engine; tests, `generate --expected` and `harness` trust it.
std::vector<Match> reference_matches(const std::vector<Event>& events, const MatchRules& rules);

}  // namespace likematch
