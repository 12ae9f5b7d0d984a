// BASELINE, not part of likematch: what a competent programmer writes in ten minutes, kept
// deliberately plain so that bench/run.sh can say how far likematch is from it. Reads
// SEQ|TYPE|FROM|TO lines with std::getline into a vector of structs, sorts them by sequence
// number, then makes one pass with a std::unordered_set of directed pairs (rule `ever`: a
// LIKE_LIKED from A to B matches when B liked A at any earlier sequence number).
//
//   naive_baseline FILE > matches
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace {

struct Like {
  std::uint64_t seq;
  bool liked;
  std::uint64_t from;
  std::uint64_t to;
};

struct PairHash {
  std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& pair) const {
    return std::hash<std::uint64_t>{}(pair.first * 1000003 ^ pair.second);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: naive_baseline FILE\n";
    return 2;
  }
  std::ios::sync_with_stdio(false);
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << "naive_baseline: cannot open " << argv[1] << "\n";
    return 1;
  }

  std::vector<Like> likes;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t a = line.find('|');
    const std::size_t b = line.find('|', a + 1);
    const std::size_t c = line.find('|', b + 1);
    if (a == std::string::npos || b == std::string::npos || c == std::string::npos) {
      continue;  // EVENT BEGIN, EVENT END, anything else
    }
    likes.push_back(
        Like{std::stoull(line.substr(0, a)), line.compare(a + 1, b - a - 1, "LIKE_LIKED") == 0,
             std::stoull(line.substr(b + 1, c - b - 1)), std::stoull(line.substr(c + 1))});
  }

  std::sort(likes.begin(), likes.end(), [](const Like& x, const Like& y) { return x.seq < y.seq; });

  std::unordered_set<std::pair<std::uint64_t, std::uint64_t>, PairHash> liked;
  for (const Like& like : likes) {
    if (!like.liked) {
      continue;
    }
    if (liked.count({like.to, like.from}) != 0) {
      std::cout << like.seq << '\n';
    }
    liked.insert({like.from, like.to});
  }
  return 0;
}
