// The man page is written elsewhere; when it exists it must render without a warning.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/support/child_process.hpp"

TEST_CASE("the man page renders without warnings", "[man]") {
  const std::filesystem::path page =
      std::filesystem::path(LIKEMATCH_SOURCE_DIR) / "man" / "likematch.1";
  if (!std::filesystem::exists(page)) {
    WARN("skipped: " << page.string() << " does not exist yet");
    return;
  }
  const std::string mandoc = "/usr/bin/mandoc";
  REQUIRE(std::filesystem::exists(mandoc));
  const auto result =
      likematch::testing::run_process(mandoc, {"-Tlint", "-W", "warning", page.string()});
  INFO(result.out << result.err);
  CHECK(result.status == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}
