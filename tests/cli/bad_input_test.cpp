// Every testdata/bad/NAME.events through `likematch replay`: stdout must equal NAME.expected
// and stderr NAME.stderr, byte for byte. The same corpus goes through serve in
// tests/e2e/cli/serve_bad_input_test.cpp.
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <string>

#include "cli/replay.hpp"
#include "tests/support/bad_cases.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {
namespace {

TEST_CASE("replay reports each bad line of testdata/bad and loses no good line around it",
          "[golden][bad]") {
  const std::vector<BadCase> cases = bad_cases();
  REQUIRE(cases.size() >= 17);
  for (const BadCase& bad : cases) {
    DYNAMIC_SECTION(bad.name) {
      TempDir dir;
      cli::ReplayOptions options;
      CLI::App app;
      cli::setup_replay(app, options);
      app.parse(bad.args, false);
      options.files = {dir.write(bad.name + ".events", bad.events)};

      CapturedOutput captured;
      CHECK(cli::run_replay(options, captured.output()) == 0);
      CHECK(captured.out() == bad.expected);
      std::string err = captured.err();
      const std::string prefix = dir.path("");
      for (std::size_t at = err.find(prefix); at != std::string::npos; at = err.find(prefix, at)) {
        err.erase(at, prefix.size());
      }
      CHECK(err == bad.stderr_text);
    }
  }
}

}  // namespace
}  // namespace likematch::test
