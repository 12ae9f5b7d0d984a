#include "cli/did_you_mean.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace likematch::cli {

namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours, each one edit, the typing slips people make.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

std::string_view without_dashes(std::string_view name) {
  while (name.starts_with('-')) {
    name.remove_prefix(1);
  }
  return name;
}

// How many slips a word of this length may hold and still be recognised: none in one or two
// letters (any two-letter word is two edits from any other), one up to five, then two.
std::size_t slips_allowed(std::size_t length) {
  return length < 3 ? 0 : length < 6 ? 1 : 2;
}

}  // namespace

std::vector<std::string> closest_names(std::string_view word,
                                       const std::vector<std::string>& names) {
  const std::string_view bare = without_dashes(word);
  std::vector<std::string> closest;
  std::size_t best = std::numeric_limits<std::size_t>::max();
  for (const std::string& name : names) {
    const std::string_view other = without_dashes(name);
    std::size_t distance = edit_distance(bare, other);
    if (bare.size() >= 3 && other.starts_with(bare)) {
      distance = std::min<std::size_t>(distance, 1);  // "serv", "--max-w": a name cut short
    }
    if (distance > slips_allowed(bare.size()) || distance > best) {
      continue;
    }
    if (distance < best) {
      best = distance;
      closest.clear();
    }
    if (std::find(closest.begin(), closest.end(), name) == closest.end()) {
      closest.push_back(name);
    }
  }
  return closest;
}

std::string did_you_mean(const std::vector<std::string>& names) {
  if (names.empty()) {
    return "";
  }
  std::string text = " (did you mean ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("'" + names[i] + "'");
  }
  return text + "?)";
}

}  // namespace likematch::cli
