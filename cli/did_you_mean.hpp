#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace likematch::cli {

// The names closest to a mistyped `word` ("replya" -> {"replay"}, "--exlpain" -> {"--explain"},
// "serv" -> {"serve"}): those at the smallest edit distance (a swap of two neighbours counts
// as one edit), if it is small for the word's length, or those that `word` begins. Empty when
// nothing is near enough to be a guess worth showing.
std::vector<std::string> closest_names(std::string_view word,
                                       const std::vector<std::string>& names);

// " (did you mean 'replay'?)", " (did you mean '--rule' or '--once'?)", or "" for no names.
std::string did_you_mean(const std::vector<std::string>& names);

}  // namespace likematch::cli
