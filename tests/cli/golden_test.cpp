// Every testdata/NAME.events through `likematch replay`: stdout must equal NAME.expected and
// stderr NAME.stderr (empty when there is none), byte for byte.
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/replay.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/files.hpp"

namespace fs = std::filesystem;

namespace {

using likematch::test::read_file;
using likematch::test::read_file_if_present;

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
    text.replace(at, from.size(), to);
    at += to.size();
  }
}

std::vector<fs::path> golden_cases() {
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(LIKEMATCH_TESTDATA_DIR)) {
    if (entry.path().extension() == ".events") {
      cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

}  // namespace

TEST_CASE("replay prints exactly the golden output for every testdata case", "[golden]") {
  const std::vector<fs::path> cases = golden_cases();
  REQUIRE(cases.size() >= 20);
  for (const fs::path& events : cases) {
    const std::string name = events.stem().string();
    DYNAMIC_SECTION(name) {
      fs::path base = events;
      base.replace_extension();
      const fs::path expected = fs::path(base).concat(".expected");
      REQUIRE(fs::exists(expected));

      likematch::cli::ReplayOptions options;
      CLI::App app;
      likematch::cli::setup_replay(app, options);
      app.parse(read_file_if_present(fs::path(base).concat(".args")), false);
      options.files = {events.string()};

      likematch::test::CapturedOutput captured;
      const int status = likematch::cli::run_replay(options, captured.output());
      CHECK(status == 0);
      CHECK(captured.out() == read_file(expected));
      // Messages name the file as given; the golden files name it without its directory.
      std::string err = captured.err();
      replace_all(err, events.parent_path().string() + "/", "");
      CHECK(err == read_file_if_present(fs::path(base).concat(".stderr")));
    }
  }
}
