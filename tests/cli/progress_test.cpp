#include "cli/progress.hpp"

#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>

#include <atomic>

#include <chrono>
#include <regex>
#include <string>
#include <thread>

#include "cli/logging.hpp"
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
  CHECK(std::regex_search(shown, std::regex(R"(^likematch: generating 5 events\.\.\. )"
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

TEST_CASE("a progress line is drawn in place, redrawn as it changes, and erased at the end",
          "[cli][progress]") {
  test::PseudoTerminal terminal;
  {
    std::atomic<int> count{0};
    const ProgressLine progress(
        Output{stdout, terminal.file()}, [&] { return std::to_string(count++) + " of 9"; }, 0ms,
        5ms);
    std::this_thread::sleep_for(100ms);
  }
  const std::string shown = terminal.shown();
  INFO(shown);
  CHECK(shown.starts_with("\rlikematch: 0 of 9\x1b[K\rlikematch: 1 of 9\x1b[K"));
  CHECK(shown.ends_with("\r\x1b[K"));
  CHECK(shown.find('\n') == std::string::npos);
}

TEST_CASE("a log line on the same terminal erases the progress line and draws it again after",
          "[cli][progress][logging]") {
  test::PseudoTerminal terminal;
  const Output output{stdout, terminal.file()};
  {
    LogOptions options;
    options.level = LogLevel::info;
    options.color = ColorMode::never;
    const auto logger = make_logger(options, output);
    std::atomic<bool> drawn{false};
    const ProgressLine progress(
        output,
        [&] {
          drawn = true;
          return std::string("5 of 9");
        },
        0ms, 5ms);
    while (!drawn) {
      std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(20ms);  // drawn, not only asked for
    logger->info("a log line");
  }
  const std::string shown = terminal.shown();
  INFO(shown);
  CHECK(std::regex_search(shown,
                          std::regex("^\rlikematch: 5 of 9\x1b\\[K\r\x1b\\[K[^\r]*info    "
                                     "a log line\r?\n\rlikematch: 5 of 9\x1b\\[K\r\x1b\\[K$")));
}

TEST_CASE("a progress line says nothing when standard error is no terminal", "[cli][progress]") {
  test::CapturedOutput captured;
  {
    const ProgressLine progress(
        captured.output(), [] { return std::string("1 of 2"); }, 0ms, 1ms);
    std::this_thread::sleep_for(50ms);
  }
  CHECK(captured.err().empty());
}

}  // namespace
}  // namespace likematch::cli
