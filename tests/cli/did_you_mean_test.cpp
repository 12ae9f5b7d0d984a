#include "cli/did_you_mean.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace likematch::cli {
namespace {

const std::vector<std::string> k_commands{"replay", "generate", "harness", "serve", "demo"};

TEST_CASE("a swap of two letters is one slip", "[cli][did_you_mean]") {
  CHECK(closest_names("replya", k_commands) == std::vector<std::string>{"replay"});
  CHECK(closest_names("--exlpain", {"--explain", "--format", "--strict"}) ==
        std::vector<std::string>{"--explain"});
}

TEST_CASE("a name cut short is recognised", "[cli][did_you_mean]") {
  CHECK(closest_names("serv", k_commands) == std::vector<std::string>{"serve"});
  CHECK(closest_names("--max-w", {"--max-warnings", "--max-buffered", "--strict"}) ==
        std::vector<std::string>{"--max-warnings"});
}

TEST_CASE("nothing near enough gives no guess", "[cli][did_you_mean]") {
  CHECK(closest_names("foo", k_commands).empty());
  CHECK(closest_names("x", {"-h", "-V"}).empty());
  CHECK(closest_names("--colour-scheme", {"--explain", "--format"}).empty());
}

TEST_CASE("names as near as each other are all offered", "[cli][did_you_mean]") {
  CHECK(closest_names("--raw", {"--row", "--rat", "--once"}) ==
        std::vector<std::string>{"--row", "--rat"});
  CHECK(did_you_mean({"--rule", "--rules"}) == " (did you mean '--rule' or '--rules'?)");
  CHECK(did_you_mean({"a", "b", "c"}) == " (did you mean 'a', 'b' or 'c'?)");
  CHECK(did_you_mean({}).empty());
}

}  // namespace
}  // namespace likematch::cli
