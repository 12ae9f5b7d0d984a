#include "cli/demo.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <regex>
#include <string>

#include "cli/exit_status.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/pseudo_terminal.hpp"
#include "tests/support/streams.hpp"

namespace {

// The demo's standard output for a run of these options that ends in MATCH END - OK.
std::string transcript_ok(const likematch::GeneratorOptions& generator,
                          const likematch::MatchRules& rules = {}) {
  const auto matches = likematch::test::expected_list(likematch::generate_events(generator), rules);
  return fmt::format("MATCH BEGIN\n({} numbers)\nMATCH END - OK\ntime to MATCH END - OK: ",
                     matches.size());
}

std::string run(const likematch::cli::DemoOptions& options, int& status) {
  const likematch::test::CapturedOutput captured;
  status = likematch::cli::run_demo(options, captured.output());
  return captured.out();
}

}  // namespace

TEST_CASE("runs serve and harness together to MATCH END - OK", "[demo]") {
  likematch::cli::DemoOptions options;
  options.generator.events = 20'000;
  options.generator.users = 500;
  options.generator.seed = 3;
  options.log.level = likematch::cli::LogLevel::warning;
  int status = -1;

  const std::string out = run(options, status);

  CHECK(status == likematch::cli::k_exit_ok);
  CHECK(out.starts_with(transcript_ok(options.generator)));
}

TEST_CASE("runs a session with self-likes to MATCH END - OK under every self-like rule", "[demo]") {
  for (const auto self_likes : {likematch::SelfLikeRule::literal, likematch::SelfLikeRule::match,
                                likematch::SelfLikeRule::ignore}) {
    INFO("--self-like-rule " << likematch::to_string(self_likes));
    likematch::cli::DemoOptions options;
    options.generator.events = 20'000;
    options.generator.users = 100;  // about 200 self-likes
    options.generator.seed = 5;
    options.generator.self_likes = true;
    options.rules.self_likes = self_likes;
    options.log.level = likematch::cli::LogLevel::warning;
    int status = -1;

    const std::string out = run(options, status);

    CHECK(status == likematch::cli::k_exit_ok);
    CHECK(out.starts_with(transcript_ok(options.generator, options.rules)));
  }
}

// Tagged [slow] (skip with "~[slow]"): the run a user makes first, at the challenge's size.
TEST_CASE("runs a session of the challenge's default size to MATCH END - OK", "[slow][demo]") {
  likematch::cli::DemoOptions options;  // 1,000,000 events, 9,000 users
  options.log.level = likematch::cli::LogLevel::warning;
  int status = -1;

  const std::string out = run(options, status);

  // The harness has checked every number against the reference matcher already.
  CHECK(status == likematch::cli::k_exit_ok);
  CHECK(out.starts_with("MATCH BEGIN\n("));
  CHECK(out.find(" numbers)\nMATCH END - OK\ntime to MATCH END - OK: ") != std::string::npos);
}

namespace {

// A session long enough to be seen, its progress line shown from the start.
likematch::cli::DemoOptions seen_session() {
  likematch::cli::DemoOptions options;
  options.generator.events = 300'000;
  options.generator.users = 2'000;
  options.log.level = likematch::cli::LogLevel::warning;
  options.progress_after = std::chrono::milliseconds(0);
  return options;
}

}  // namespace

TEST_CASE("shows the session's progress on a terminal, and erases it at the end",
          "[demo][progress]") {
  likematch::test::PseudoTerminal terminal;
  const likematch::test::CapturedOutput captured;
  const int status = likematch::cli::run_demo(
      seen_session(), likematch::cli::Output{captured.output().out, terminal.file()});
  const std::string shown = terminal.shown();
  INFO(shown);
  CHECK(status == likematch::cli::k_exit_ok);
  // Drawn in place (a carriage return, the line, the rest of the old one erased) ...
  CHECK(std::regex_search(shown, std::regex("\rlikematch: 300000 events (being sent|sent), "
                                            "[0-9]+ of [0-9]+ numbers received\x1b\\[K")));
  // ... and erased last, so that the shell's prompt starts on a clean line.
  CHECK(shown.ends_with("\r\x1b[K"));
  CHECK(captured.out().starts_with(transcript_ok(seen_session().generator)));
}

TEST_CASE("shows no progress when standard error is not a terminal", "[demo][progress]") {
  const likematch::test::CapturedOutput captured;
  CHECK(likematch::cli::run_demo(seen_session(), captured.output()) == likematch::cli::k_exit_ok);
  CHECK(captured.err().find("received") == std::string::npos);
  CHECK(captured.err().find('\r') == std::string::npos);
}

TEST_CASE("refuses options that cannot make a stream", "[demo]") {
  likematch::cli::DemoOptions options;
  options.generator.events = 10;
  options.generator.users = 1;
  int status = -1;

  CHECK(run(options, status).empty());
  CHECK(status == likematch::cli::k_exit_usage);
}
