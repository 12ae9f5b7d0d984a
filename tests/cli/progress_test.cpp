#include "cli/progress.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "tests/support/captured_output.hpp"
#include "tests/support/pseudo_terminal.hpp"

namespace likematch::cli {
namespace {

using namespace std::chrono_literals;

// What a phase of `length` says on a terminal (a pseudo-terminal's end), noted after `after`.
std::string on_terminal(std::chrono::milliseconds length, std::chrono::milliseconds after) {
  test::PseudoTerminal terminal;
  {
    const PhaseNote note(Output{stdout, terminal.file()}, "generating 5 events", after);
    std::this_thread::sleep_for(length);
  }
  return terminal.shown();
}

TEST_CASE("a long phase is said on a terminal, with its time when it ends", "[cli][progress]") {
  const std::string shown = on_terminal(200ms, 20ms);
  CHECK(std::regex_search(shown, std::regex(R"(^likematch: generating 5 events\.\.\. done, )"
                                            R"([0-9]+\.[0-9] s\r?\n$)")));
}

TEST_CASE("a short phase says nothing", "[cli][progress]") {
  CHECK(on_terminal(0ms, 1000ms).empty());
}

TEST_CASE("a phase says nothing when standard error is no terminal", "[cli][progress]") {
  test::CapturedOutput captured;
  {
    const PhaseNote note(captured.output(), "generating 5 events", 0ms);
    std::this_thread::sleep_for(50ms);
  }
  CHECK(captured.err().empty());
}

}  // namespace
}  // namespace likematch::cli
