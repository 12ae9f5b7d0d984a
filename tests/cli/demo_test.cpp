#include "cli/demo.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "cli/exit_status.hpp"
#include "core/rules/reference_matcher.hpp"

namespace {

std::string read_all(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, got);
  }
  return text;
}

// The demo's standard output for a run of these options that ends in MATCH END - OK.
std::string transcript_ok(const likematch::GeneratorOptions& generator,
                          const likematch::MatchRules& rules = {}) {
  const auto matches = likematch::reference_matches(likematch::generate_events(generator), rules);
  return fmt::format("MATCH BEGIN\n({} numbers)\nMATCH END - OK\ntime to MATCH END - OK: ",
                     matches.size());
}

std::string run(const likematch::cli::DemoOptions& options, int& status) {
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  status = likematch::cli::run_demo(options, likematch::cli::Output{out, err});
  std::string text = read_all(out);
  std::fclose(out);
  std::fclose(err);
  return text;
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

TEST_CASE("refuses options that cannot make a stream", "[demo]") {
  likematch::cli::DemoOptions options;
  options.generator.events = 10;
  options.generator.users = 1;
  int status = -1;

  CHECK(run(options, status).empty());
  CHECK(status == likematch::cli::k_exit_usage);
}
