#pragma once

// The bad-input corpus of testdata/bad/, for the runners that put it through replay and serve.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/files.hpp"

namespace likematch::test {

// A line of this text in a case stands for 10 MiB of 'x' (too big to commit).
constexpr std::string_view k_huge_line_marker = "<10 MiB of x>";
constexpr std::size_t k_huge_line_size = std::size_t{10} << 20;

struct BadCase {
  std::string name;         // NAME of testdata/bad/NAME.events
  std::string events;       // with the marker expanded
  std::string expected;     // the matches, one per line
  std::string stderr_text;  // replay's warnings, naming the file without its directory
  std::string args;         // extra options, "" for none
};

inline std::vector<BadCase> bad_cases() {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fs::path(LIKEMATCH_TESTDATA_DIR) / "bad")) {
    if (entry.path().extension() == ".events") {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<BadCase> cases;
  for (const fs::path& path : paths) {
    fs::path base = path;
    base.replace_extension();
    BadCase bad{path.stem().string(), read_file(path),
                read_file(fs::path(base).concat(".expected")),
                read_file_if_present(fs::path(base).concat(".stderr")),
                read_file_if_present(fs::path(base).concat(".args"))};
    for (std::size_t at = bad.events.find(k_huge_line_marker); at != std::string::npos;
         at = bad.events.find(k_huge_line_marker, at + k_huge_line_size)) {
      bad.events.replace(at, k_huge_line_marker.size(), std::string(k_huge_line_size, 'x'));
    }
    cases.push_back(std::move(bad));
  }
  return cases;
}

}  // namespace likematch::test
