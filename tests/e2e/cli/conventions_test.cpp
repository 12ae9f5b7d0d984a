// The binary as a Unix tool: a request too big for memory said, not an abort; the variable a
// bad value came from named; help and the version that cannot be written are failures.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "tests/support/child_process.hpp"

namespace likematch::test {
namespace {

// More events than this machine can hold: two billion, or more on a machine with
// the memory for them (each event is 32 bytes at least).
std::string too_many_events() {
  const double memory =
      static_cast<double>(::sysconf(_SC_PHYS_PAGES)) * static_cast<double>(::sysconf(_SC_PAGESIZE));
  const double events = std::max(2e9, memory / 32.0 * 2.0);
  return std::to_string(static_cast<unsigned long long>(events));
}

TEST_CASE("demo and harness say that events too many for memory do not fit, and exit 1",
          "[cli][conventions]") {
  const std::string events = too_many_events();
  for (const std::string command : {"demo", "harness"}) {
    INFO(command);
    const ProcessResult result = run_process(LIKEMATCH_BINARY, {command, "--events", events});
    CHECK(result.status == 1);
    CHECK_THAT(result.err, Catch::StartsWith("likematch: " + events +
                                             " events do not fit in "
                                             "memory: "));
    CHECK_THAT(result.err, !Catch::Contains("terminate"));
    CHECK_THAT(result.err, !Catch::Contains("bad_alloc"));
  }
}

TEST_CASE("a bad SEQUENCE_COUNT or USER_COUNT is named as the variable, not as the option",
          "[cli][conventions]") {
  ::setenv("SEQUENCE_COUNT", "abc", 1);
  const ProcessResult events = run_process(LIKEMATCH_BINARY, {"harness"});
  ::unsetenv("SEQUENCE_COUNT");
  CHECK(events.status == 2);
  CHECK_THAT(events.err, Catch::StartsWith("likematch: SEQUENCE_COUNT: must be a whole number "
                                           "from 0 to 18446744073709551615, got 'abc'\n"));

  ::setenv("USER_COUNT", "many", 1);
  const ProcessResult users = run_process(LIKEMATCH_BINARY, {"harness"});
  ::unsetenv("USER_COUNT");
  CHECK_THAT(users.err, Catch::StartsWith("likematch: USER_COUNT: must be"));

  // Given on the command line too, the option is what was read, and what is named.
  ::setenv("SEQUENCE_COUNT", "abc", 1);
  const ProcessResult option = run_process(LIKEMATCH_BINARY, {"harness", "--events", "x"});
  ::unsetenv("SEQUENCE_COUNT");
  CHECK_THAT(option.err, Catch::StartsWith("likematch: --events: must be"));
}

TEST_CASE("help and the version that cannot be written exit 1 and say why", "[cli][conventions]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"replay", "--help"}, {"--version"}, {"-V"}, {"--help"}, {"help", "serve"}}) {
    INFO(args.front() << " " << args.back());
    const ProcessResult result = run_process(LIKEMATCH_BINARY, args, "", Stdout::full);
    CHECK(result.status == 1);
    CHECK(result.err == "likematch: cannot write standard output: No space left on device\n");
  }
}

TEST_CASE("port 0 is refused for dialing, by serve --connect and by the harness",
          "[cli][conventions]") {
  const ProcessResult serve =
      run_process(LIKEMATCH_BINARY, {"serve", "--connect", "127.0.0.1", "--source-port", "0"});
  CHECK(serve.status == 2);
  CHECK(serve.err ==
        "likematch: --source-port 0 (any free port) is for listening: give the port to dial\n");

  const ProcessResult harness =
      run_process(LIKEMATCH_BINARY, {"harness", "--events", "10", "--listener-port", "0"});
  CHECK(harness.status == 2);
  CHECK(harness.err ==
        "likematch: --listener-port 0 (any free port) is for listening: give "
        "the port to dial\n");
}

}  // namespace
}  // namespace likematch::test
