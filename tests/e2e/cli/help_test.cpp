// Every subcommand's --help ends with examples a user can copy.
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/child_process.hpp"

namespace likematch::test {
namespace {

TEST_CASE("every command's help shows examples of itself", "[cli][help]") {
  for (const std::string command : {"replay", "generate", "serve", "harness", "demo", "worker"}) {
    INFO(command);
    const ProcessResult result = run_process(LIKEMATCH_BINARY, {command, "--help"});
    CHECK(result.status == 0);
    const std::size_t examples = result.out.find("\nExamples:\n");
    REQUIRE(examples != std::string::npos);
    CHECK(result.out.find("  likematch " + command, examples) != std::string::npos);
  }
}

TEST_CASE("the version flag prints the version", "[cli][help]") {
  const ProcessResult result = run_process(LIKEMATCH_BINARY, {"--version"});
  CHECK(result.status == 0);
  CHECK(result.out.starts_with("likematch " LIKEMATCH_VERSION_FOR_TESTS));
}

}  // namespace
}  // namespace likematch::test
