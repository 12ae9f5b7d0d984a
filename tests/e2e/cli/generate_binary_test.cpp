// `likematch generate` as a process: usage errors, the pipe to replay, a reader that leaves.
// What generate writes is tested in process in tests/cli/generate_test.cpp.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/generate.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

using cli::GenerateOptions;

using Run = ProcessResult;

// A new user met this: window:2 wrote the --shuffle none stream.
TEST_CASE("generate --shuffle window:2 lets neighbours swap", "[generate]") {
  GenerateOptions options = small(1'000, 100, 1);
  options.generator.shuffle = Shuffle{ShuffleKind::window, 2};
  const std::string window = generate(options).out;
  options.generator.shuffle = Shuffle{ShuffleKind::none, 0};
  const std::string none = generate(options).out;
  CHECK(window != none);
  const auto binary_window =
      run_process(LIKEMATCH_BINARY, {"generate", "--events", "1000", "--shuffle", "window:2"});
  const auto binary_none =
      run_process(LIKEMATCH_BINARY, {"generate", "--events", "1000", "--shuffle", "none"});
  CHECK(binary_window.out != binary_none.out);
}

TEST_CASE("generate refuses one user without --self-likes", "[generate]") {
  const Run run = generate(small(10, 1, 1));
  CHECK(run.status == 2);
  CHECK(run.out.empty());
  CHECK(run.err ==
        "likematch: one user can only like itself: use --users 2 or more, or --self-likes\n");
  const auto binary = run_process(LIKEMATCH_BINARY, {"generate", "--users", "1"});
  CHECK(binary.status == 2);
  CHECK(binary.out.empty());
  // On the command line it is a usage error: the same words, and where to read more.
  CHECK(binary.err == run.err + "Run 'likematch generate --help' for more information.\n");
}

TEST_CASE("the generate binary and replay agree with --expected", "[generate][binary]") {
  TempDir dir;
  const std::string expected = dir.path("expected");
  const auto generated = run_process(
      LIKEMATCH_BINARY, {"generate", "--events", "30000", "--users", "40", "--seed", "9",
                         "--shuffle", "window:500", "--rule", "latest", "--expected", expected});
  REQUIRE(generated.status == 0);
  const auto replayed =
      run_process(LIKEMATCH_BINARY, {"replay", "--rule", "latest"}, generated.out);
  CHECK(replayed.status == 0);
  CHECK(replayed.err.empty());
  CHECK(replayed.out == read_file(expected));

  const auto self_liking = run_process(
      LIKEMATCH_BINARY, {"generate", "--events", "30000", "--users", "40", "--seed", "9",
                         "--self-likes", "--self-like-rule", "match", "--expected", expected});
  REQUIRE(self_liking.status == 0);
  const auto matched =
      run_process(LIKEMATCH_BINARY, {"replay", "--self-like-rule", "match"}, self_liking.out);
  CHECK(matched.status == 0);
  CHECK(matched.out == read_file(expected));
  CHECK(matched.out !=
        run_process(LIKEMATCH_BINARY, {"replay"}, self_liking.out).out);  // the rule mattered
}

TEST_CASE("generate stops quietly when its reader has left, and still writes --expected",
          "[generate][binary]") {
  TempDir dir;
  const std::string expected = dir.path("expected.txt");
  const auto result =
      run_process(LIKEMATCH_BINARY,
                  {"generate", "--events", "100000", "--users", "300", "--expected", expected}, "",
                  likematch::test::Stdout::closed_pipe);
  CHECK(result.status == 0);
  CHECK(result.err.empty());
  CHECK_FALSE(read_file(expected).empty());
}

}  // namespace likematch::test
