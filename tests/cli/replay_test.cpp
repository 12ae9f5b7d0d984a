#include "cli/replay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <string>
#include <vector>

#include "cli/exit_status.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/challenge_example.hpp"
#include "tests/support/commands.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

using cli::ReplayOptions;
using cli::run_replay;

namespace {

const std::string k_example{likematch::test::k_challenge_example};

using Run = ProcessResult;

}  // namespace

TEST_CASE("replay prints the matches and exits 0", "[replay]") {
  TempDir dir;
  const Run run = replay(on_files({dir.write("example.events", k_example)}));
  CHECK(run.status == 0);
  CHECK(run.out == "4\n7\n");
  CHECK(run.err.empty());
}

TEST_CASE("replay skips a byte order mark at the start of every file", "[replay]") {
  TempDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  const Run run = replay(on_files({dir.write("a.events", bom + "1|LIKE_LIKED|1|2\n"),
                                   dir.write("b.events", bom + "2|LIKE_LIKED|2|1\n"),
                                   dir.write("c.events", bom + "3|LIKE_LIKED|2|1")}));
  CHECK(run.status == 0);
  CHECK(run.out == "2\n3\n");
  CHECK(run.err.empty());
}

TEST_CASE("replay exits 0 after warnings without --strict", "[replay]") {
  TempDir dir;
  const std::string path =
      dir.write("bad.events", "1|LIKE_LIKED|1|2\nnonsense\n2|LIKE_LIKED|2|1\n");
  const Run run = replay(on_files({path}));
  CHECK(run.status == 0);
  CHECK(run.out == "2\n");
  CHECK(run.err == path + ":2: expected 4 fields separated by '|', got 1\n");
}

TEST_CASE("replay --explain shows the like each match answers", "[replay]") {
  TempDir dir;
  ReplayOptions options = on_files({dir.write("example.events", k_example)});
  options.explain = true;
  const Run run = replay(options);
  CHECK(run.out ==
        "4 LIKE_LIKED 200->100, answering 100->200 at 2\n"
        "7 LIKE_LIKED 100->300, answering 300->100 at 5\n");
}

TEST_CASE("replay --explain names the latest like answered", "[replay]") {
  TempDir dir;
  ReplayOptions options = on_files(
      {dir.write("repeat.events",
                 "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|1|2\n")});
  options.explain = true;
  CHECK(replay(options).out ==
        "3 LIKE_LIKED 2->1, answering 1->2 at 2\n"
        "4 LIKE_LIKED 1->2, answering 2->1 at 3\n");
}

TEST_CASE("replay --strict stops at the first bad line, names it and exits 65", "[replay]") {
  TempDir dir;
  const std::string path =
      dir.write("bad.events",
                "1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n3|LIKE_LOVED|2|1\n4|LIKE_LIKED|2|1\n5|oops\n");
  ReplayOptions options = on_files({path});
  options.strict = true;
  const Run run = replay(options);
  CHECK(run.status == 65);
  CHECK(run.out == "2\n");  // what was decided before the bad line
  CHECK(run.err == path + ":3: error: unknown type \"LIKE_LOVED\"\n");
}

TEST_CASE("replay --strict makes a duplicate, a late event or a gap fatal", "[replay]") {
  TempDir dir;
  ReplayOptions options;
  options.strict = true;
  SECTION("duplicate") {
    options.files = {dir.write("dup.events", "2|LIKE_LIKED|1|2\n2|LIKE_LIKED|1|2\n")};
    const Run run = replay(options);
    CHECK(run.status == 65);
    // The input stops there: nothing is "ignored" under --strict.
    CHECK(run.err == options.files[0] + ":2: error: duplicate of sequence number 2\n");
  }
  SECTION("late") {
    options.files = {dir.write("late.events", "1|LIKE_LIKED|1|2\n1|LIKE_LIKED|1|2\n")};
    const Run run = replay(options);
    CHECK(run.status == 65);
    CHECK(run.err == options.files[0] + ":2: error: sequence number 1 was already decided\n");
  }
  SECTION("gap") {
    options.files = {dir.write("gap.events", "1|LIKE_LIKED|1|2\n3|LIKE_LIKED|2|1\n")};
    const Run run = replay(options);
    CHECK(run.status == 65);
    // Nothing past the missing number is decided: 3 would answer 1, but 2 never came.
    CHECK(run.out.empty());
    CHECK(run.err == "end of input: error: 1 sequence number never arrived: 2\n");
  }
  SECTION("line after EVENT END") {
    options.files = {dir.write("end.events", "1|LIKE_LIKED|1|2\nEVENT END\nEVENT END\n")};
    const Run run = replay(options);
    CHECK(run.status == 65);
    CHECK(run.err == options.files[0] + ":3: error: line after EVENT END\n");
  }
}

TEST_CASE("replay reports a missing file, reads the others, and exits 1", "[replay]") {
  TempDir dir;
  const std::string missing = dir.path("missing.events");
  const std::string present = dir.write("present.events", k_example);
  const Run run = replay(on_files({missing, present}));
  CHECK(run.status == 1);
  CHECK(run.out == "4\n7\n");
  CHECK(run.err == "likematch: cannot open " + missing + ": No such file or directory\n");
}

TEST_CASE("replay caps the warnings and counts the rest", "[replay]") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5; ++i) {
    text += "bad\n";
  }
  text += "2|LIKE_LIKED|1|2\n";  // 1 never arrives
  const std::string path = dir.write("bad.events", text);
  ReplayOptions options = on_files({path});

  SECTION("at the cap") {
    options.max_warnings = 2;
    const Run run = replay(options);
    CHECK(run.status == 0);
    // The gap report is always shown and counts as a warning, but not as one held back.
    CHECK(run.err == path + ":1: expected 4 fields separated by '|', got 1\n" + path +
                         ":2: expected 4 fields separated by '|', got 1\n"
                         "end of input: 1 sequence number never arrived: 1\n"
                         "likematch: 3 more warnings not shown (--max-warnings N shows up to N)\n");
  }
  SECTION("a cap above the count shows all") {
    options.max_warnings = 6;
    const Run run = replay(options);
    std::string expected;
    for (int line = 1; line <= 5; ++line) {
      expected +=
          path + ":" + std::to_string(line) + ": expected 4 fields separated by '|', got 1\n";
    }
    expected += "end of input: 1 sequence number never arrived: 1\n";
    CHECK(run.err == expected);
  }
  SECTION("0 silences them, the gap report and the count too") {
    options.max_warnings = 0;
    const Run run = replay(options);
    CHECK(run.status == 0);
    CHECK(run.out == "");
    CHECK(run.err == "");
  }
}

TEST_CASE("replay --stats --strict prints the counters before it exits 65", "[replay]") {
  TempDir dir;
  ReplayOptions options =
      on_files({dir.write("bad.events", "1|LIKE_LIKED|1|2\nbad\n2|LIKE_LIKED|2|1\n")});
  options.strict = true;
  options.stats = true;
  const Run run = replay(options);
  CHECK(run.status == cli::k_exit_data_error);
  CHECK_THAT(run.err, Catch::Contains(":2: error: expected 4 fields"));
  CHECK(std::regex_search(run.err, std::regex("likematch: [0-9]+ lines?, [0-9]+ events?, 0 "
                                              "matches ")));
}

// Unlike `cat a b | likematch replay`, where b's mark is in the middle of the stream and its
// line is malformed: each file may come from an editor that marks what it saves.
TEST_CASE("replay skips a byte-order mark at the start of every file it is given", "[replay]") {
  TempDir dir;
  const std::string mark = "\xEF\xBB\xBF";
  const std::string a = dir.write("a.events", "1|LIKE_LIKED|1|2\n");
  const std::string b = dir.write("b.events", mark + "2|LIKE_LIKED|2|1\n");
  const Run files = replay(on_files({a, b}));
  CHECK(files.status == 0);
  CHECK(files.out == "2\n");
  CHECK(files.err.empty());

  const std::string joined =
      dir.write("joined.events", "1|LIKE_LIKED|1|2\n" + mark + "2|LIKE_LIKED|2|1\n");
  const Run cat = replay(on_files({joined}));
  CHECK(cat.out.empty());
  CHECK_THAT(cat.err, Catch::StartsWith(joined + ":2: "));
}

TEST_CASE("replay reads several files as one stream and names FILE:LINE", "[replay]") {
  TempDir dir;
  const std::string a = dir.write("a.events", "EVENT BEGIN\n3|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\n");
  const std::string b = dir.write("b.events", "2|LIKE_LIKED|2|1\nbad\n");
  const std::string c = dir.write("c.events", "");
  const std::string d = dir.write("d.events", "4|LIKE_LIKED|1|2\nEVENT END\nlate\n");
  const Run run = replay(on_files({a, b, c, d}));
  CHECK(run.status == 0);
  CHECK(run.out == "2\n3\n4\n");
  CHECK(run.err == b + ":2: expected 4 fields separated by '|', got 1\n" + d +
                       ":3: line after EVENT END, ignored\n");
}

TEST_CASE("replay skips a byte order mark split across two files, as cat gives it", "[replay]") {
  TempDir dir;
  const Run run = replay(on_files({dir.write("a.events", "\xEF\xBB"),
                                   dir.write("b.events",
                                             "\xBF"
                                             "1|LIKE_LIKED|1|2\n"),
                                   dir.write("c.events", "2|LIKE_LIKED|2|1\n")}));
  CHECK(run.out == "2\n");
  CHECK(run.err.empty());
}

TEST_CASE("replay names a bad line that began in an earlier file where it began", "[replay]") {
  TempDir dir;
  const std::string a = dir.write("a.events", "1|LIKE_LIKED|1|2\n7|LIKE_");
  const std::string b = dir.write("b.events", "LOVED|1|2\n2|LIKE_LIKED|2|1\n");
  const Run run = replay(on_files({a, b}));
  CHECK(run.out == "2\n");
  CHECK(run.err == a + ":2: unknown type \"LIKE_LOVED\"\n");
}

TEST_CASE("replay --stats prints one summary line", "[replay]") {
  TempDir dir;
  ReplayOptions options = on_files({dir.write("example.events", k_example)});
  options.stats = true;
  const Run run = replay(options);
  CHECK(run.out == "4\n7\n");
  CHECK_THAT(run.err,
             Catch::Matchers::StartsWith(
                 "likematch: 9 lines, 7 events, 2 matches (rule ever), 0 malformed (0 oversized), "
                 "0 duplicates (0 conflicting), 0 late, 0 misplaced control lines, 0 after the "
                 "end, 0 missing, largest reorder depth 6, "));
}

TEST_CASE("replay honours the rule options", "[replay]") {
  TempDir dir;
  ReplayOptions options = on_files({dir.write(
      "withdrawal.events", "1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|1|2\n3|LIKE_LIKED|2|1\n")});
  CHECK(replay(options).out == "3\n");
  options.engine.rules.rule = likematch::Rule::latest;
  CHECK(replay(options).out.empty());
}

TEST_CASE("replay honours the self-like rule", "[replay]") {
  TempDir dir;
  ReplayOptions options =
      on_files({dir.write("self.events", "1|LIKE_LIKED|7|7\n2|LIKE_LIKED|7|7\n")});
  CHECK(replay(options).out == "2\n");
  options.engine.rules.self_likes = likematch::SelfLikeRule::match;
  CHECK(replay(options).out == "1\n2\n");
  options.engine.rules.self_likes = likematch::SelfLikeRule::ignore;
  CHECK(replay(options).out.empty());
}

TEST_CASE("replay reports matches it cannot write and exits 1", "[replay]") {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) {
    WARN("skipped: no /dev/full here");
    return;
  }
  TempDir dir;
  CapturedOutput captured;
  const ReplayOptions options = on_files({dir.write("example.events", k_example)});
  const int status = run_replay(options, likematch::cli::Output{full, captured.output().err});
  std::fclose(full);
  CHECK(status == 1);
  CHECK(captured.err() == "likematch: cannot write standard output: No space left on device\n");
}

}  // namespace likematch::test
