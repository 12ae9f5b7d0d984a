#pragma once

#include <string_view>

namespace likematch::test {

// The challenge's own example, as its Event Source would send it: matches at 4 and 7.
inline constexpr std::string_view k_challenge_example =
    "EVENT BEGIN\n"
    "5|LIKE_LIKED|300|100\n"
    "3|LIKE_NOT_LIKED|300|200\n"
    "7|LIKE_LIKED|100|300\n"
    "2|LIKE_LIKED|100|200\n"
    "4|LIKE_LIKED|200|100\n"
    "6|LIKE_UNSPECIFIED|200|300\n"
    "1|LIKE_UNSPECIFIED|300|100\n"
    "EVENT END\n";

}  // namespace likematch::test
