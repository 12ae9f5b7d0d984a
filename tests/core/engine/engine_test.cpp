#include "core/engine/engine.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/support/challenge_example.hpp"
#include "tests/support/recording_sink.hpp"

namespace likematch::test {

namespace {

const std::string k_example{likematch::test::k_challenge_example};

using Seqs = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("finds the challenge's matches 4 and 7 with the likes they answer", "[engine]") {
  const RecordingSink sink = run_engine(k_example);
  CHECK(sink.matches == std::vector<Match>{{4, 200, 100, 2}, {7, 100, 300, 5}});
  CHECK(sink.warnings.empty());
}

TEST_CASE("sends a match as soon as every earlier sequence number is in", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  engine.feed("EVENT BEGIN\n2|LIKE_LIKED|2|1\n3|LIKE_LIKED|1|2\n");
  CHECK(sink.matches.empty());
  CHECK(engine.buffered() == 2);
  engine.feed("1|LIKE_LIKED|1|2\n");
  CHECK(sink.match_seqs() == Seqs{2, 3});
  CHECK(engine.buffered() == 0);
  CHECK_FALSE(engine.ended());
}

TEST_CASE("waits for the newline before reading a line", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  engine.feed("1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1");
  CHECK(sink.matches.empty());
  engine.feed("\n");
  CHECK(sink.match_seqs() == Seqs{2});
}

TEST_CASE("reads a last line without newline at finish", "[engine]") {
  CHECK(run_engine("1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1").match_seqs() == Seqs{2});
}

TEST_CASE("accepts CRLF line ends", "[engine]") {
  const RecordingSink sink = run_engine(likematch::test::with_crlf(k_example));
  CHECK(sink.match_seqs() == Seqs{4, 7});
  CHECK(sink.warnings.empty());
}

TEST_CASE("applies the chosen rule", "[engine]") {
  const std::string text =
      "1|LIKE_LIKED|1|2\n2|LIKE_NOT_LIKED|1|2\n3|LIKE_LIKED|2|1\n4|LIKE_LIKED|1|2\n"
      "5|LIKE_LIKED|2|1\n";
  CHECK(run_engine(text, MatchRules{Rule::ever, false}).match_seqs() == Seqs{3, 4, 5});
  CHECK(run_engine(text, MatchRules{Rule::latest, false}).match_seqs() == Seqs{4, 5});
  CHECK(run_engine(text, MatchRules{Rule::ever, true}).match_seqs() == Seqs{3});
  CHECK(run_engine(text, MatchRules{Rule::latest, true}).match_seqs() == Seqs{4});
}

TEST_CASE("skips a UTF-8 byte order mark at the very start", "[engine]") {
  const RecordingSink sink = run_engine("\xEF\xBB\xBF" + k_example);
  CHECK(sink.match_seqs() == Seqs{4, 7});
  CHECK(sink.warnings.empty());
}

TEST_CASE("skips a byte order mark that arrives one byte at a time", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  for (const char c : "\xEF\xBB\xBF" + k_example) {
    engine.feed(std::string_view(&c, 1));
  }
  engine.finish();
  CHECK(sink.match_seqs() == Seqs{4, 7});
  CHECK(sink.warnings.empty());
}

TEST_CASE("skips a byte order mark at the start of a file, and only there", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  engine.feed("1|LIKE_LIKED|1|2\n");
  engine.next_file();
  // Whole, so that the file's lines after the first are read where they lie.
  engine.feed(
      "\xEF\xBB\xBF"
      "2|LIKE_LIKED|2|1\n\xEF\xBB\xBF"
      "3|LIKE_LIKED|1|2\n4|LIKE_LIKED|2|1\n");
  engine.finish();
  CHECK(sink.match_seqs() == Seqs{2, 4});
  // The mark in the middle of the part is part of a sequence number, which then never
  // arrives.
  REQUIRE(sink.warnings.size() == 2);
  CHECK(sink.warnings[0] == Warning{WarningKind::malformed, 3,
                                    "sequence number \"\\xEF\\xBB\\xBF3\" is not an "
                                    "unsigned decimal integer"});
  CHECK(sink.warnings[1].kind == WarningKind::gaps);
}

TEST_CASE("rejects a byte order mark anywhere but the very start", "[engine]") {
  const RecordingSink sink = run_engine(
      "1|LIKE_LIKED|1|2\n\xEF\xBB\xBF"
      "2|LIKE_LIKED|2|1\n");
  CHECK(sink.matches.empty());
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::malformed, 2,
                              "sequence number \"\\xEF\\xBB\\xBF2\" is not an unsigned "
                              "decimal integer"}});
}

TEST_CASE("does not take a byte order mark after a skipped first line for the start", "[engine]") {
  const RecordingSink sink = run_engine(std::string(50, 'x') +
                                            "\n\xEF\xBB\xBF"
                                            "1|LIKE_LIKED|1|2\n",
                                        {}, 20);
  REQUIRE(sink.warnings.size() == 2);
  CHECK(sink.warnings[0] == Warning{WarningKind::oversized, 1, "line longer than 20 bytes"});
  CHECK(sink.warnings[1].kind == WarningKind::malformed);
  CHECK(sink.warnings[1].line == 2);
}

TEST_CASE("reports malformed lines with their line number and goes on", "[engine]") {
  const RecordingSink sink = run_engine(
      "EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LOVED|2|1\n\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(sink.match_seqs() == Seqs{2});
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::malformed, 3, "unknown type \"LIKE_LOVED\""}});
}

TEST_CASE("warns about EVENT BEGIN twice", "[engine]") {
  const RecordingSink sink = run_engine("EVENT BEGIN\nEVENT BEGIN\n1|LIKE_LIKED|1|2\n");
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::misplaced_control, 2, "EVENT BEGIN again"}});
}

TEST_CASE("warns about EVENT BEGIN after the first event", "[engine]") {
  const RecordingSink sink = run_engine("1|LIKE_LIKED|1|2\nEVENT BEGIN\n2|LIKE_LIKED|2|1\n");
  CHECK(sink.match_seqs() == Seqs{2});
  CHECK(sink.warnings == std::vector<Warning>{{WarningKind::misplaced_control, 2,
                                               "EVENT BEGIN after the first event"}});
}

TEST_CASE("needs no EVENT BEGIN", "[engine]") {
  const RecordingSink sink = run_engine("1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\nEVENT END\n");
  CHECK(sink.match_seqs() == Seqs{2});
  CHECK(sink.warnings.empty());
}

TEST_CASE("ends the session at EVENT END and ignores later lines with a warning", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  engine.feed("2|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\nEVENT END\n");
  CHECK(engine.ended());
  CHECK(sink.match_seqs() == Seqs{2});
  engine.feed("3|LIKE_LIKED|1|2\nEVENT END\nEVENT BEGIN\n\nrubbish\n");
  engine.finish();
  CHECK(sink.match_seqs() == Seqs{2});
  CHECK(sink.warnings == std::vector<Warning>{
                             {WarningKind::after_end, 4, "line after EVENT END"},
                             {WarningKind::after_end, 5, "line after EVENT END"},
                             {WarningKind::after_end, 6, "line after EVENT END"},
                             {WarningKind::after_end, 8, "line after EVENT END"},
                         });
  CHECK(engine.stats().after_end == 4);
  CHECK(engine.stats().misplaced_control == 0);
  CHECK(engine.stats().malformed == 0);
}

TEST_CASE("decides what is buffered at EVENT END and reports the gaps then", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{}, sink);
  engine.feed("3|LIKE_LIKED|2|1\n1|LIKE_LIKED|1|2\n");
  CHECK(sink.matches.empty());
  engine.feed("EVENT END\n");
  CHECK(sink.match_seqs() == Seqs{3});
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::gaps, 0, "1 sequence number never arrived: 2"}});
  engine.finish();  // idempotent: nothing new
  CHECK(sink.warnings.size() == 1);
}

TEST_CASE("spells out the first five runs of missing numbers", "[engine]") {
  std::string text;
  // Present: 1, 3, 6, 8, 13, 15, 17, 20. Missing: 2, 4-5, 7, 9-12, 14, 16, 18-19.
  for (int seq : {20, 1, 3, 6, 8, 13, 15, 17}) {
    text += std::to_string(seq) + "|LIKE_UNSPECIFIED|1|2\n";
  }
  const RecordingSink sink = run_engine(text);
  CHECK(sink.warnings ==
        std::vector<Warning>{
            {WarningKind::gaps, 0, "12 sequence numbers never arrived: 2, 4-5, 7, 9-12, 14, ..."}});
}

TEST_CASE("spells out exactly five runs without an ellipsis", "[engine]") {
  const RecordingSink sink = run_engine(
      "2|LIKE_LIKED|1|2\n4|LIKE_LIKED|1|2\n6|LIKE_LIKED|1|2\n8|LIKE_LIKED|1|2\n"
      "10|LIKE_LIKED|1|2\n");
  CHECK(sink.warnings == std::vector<Warning>{{WarningKind::gaps, 0,
                                               "5 sequence numbers never arrived: 1, 3, "
                                               "5, 7, 9"}});
}

TEST_CASE("reports duplicates and late events and keeps the first copy", "[engine]") {
  const RecordingSink sink = run_engine(
      "3|LIKE_LIKED|2|1\n"
      "3|LIKE_LIKED|2|1\n"
      "3|LIKE_NOT_LIKED|2|1\n"
      "1|LIKE_LIKED|1|2\n"
      "1|LIKE_LIKED|1|2\n"
      "2|LIKE_UNSPECIFIED|5|6\n");
  CHECK(sink.match_seqs() == Seqs{3});
  CHECK(sink.warnings ==
        std::vector<Warning>{
            {WarningKind::duplicate_identical, 2, "duplicate of sequence number 3"},
            {WarningKind::duplicate_conflicting, 3, "sequence number 3 again with other content"},
            {WarningKind::late, 5, "sequence number 1 was already decided"},
        });
}

TEST_CASE("reports an oversized line and reads on", "[engine]") {
  const RecordingSink sink =
      run_engine("1|LIKE_LIKED|1|2\n" + std::string(5000, '9') + "\n2|LIKE_LIKED|2|1\n");
  CHECK(sink.match_seqs() == Seqs{2});
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::oversized, 2, "line longer than 4096 bytes"}});
}

TEST_CASE("decides a lone event at 18446744073709551615 at the end", "[engine]") {
  const RecordingSink sink = run_engine("18446744073709551615|LIKE_LIKED|1|1\n");
  CHECK(sink.matches.empty());
  CHECK(sink.warnings ==
        std::vector<Warning>{{WarningKind::gaps, 0,
                              "18446744073709551614 sequence numbers never arrived: "
                              "1-18446744073709551614"}});
}

TEST_CASE("counts what it saw", "[engine]") {
  RecordingSink sink;
  Engine engine(EngineOptions{MatchRules{}, 30}, sink);
  engine.feed(
      "EVENT BEGIN\n"       // 1
      "4|LIKE_LIKED|2|1\n"  // 2
      "2|LIKE_LIKED|1|2\n"  // 3
      "4|LIKE_LIKED|2|1\n"  // 4 duplicate
      "4|LIKE_LIKED|2|3\n"  // 5 conflicting duplicate
      "bad\n"               // 6 malformed
      + std::string(40, '1') +
      "\n"                        // 7 oversized
      "EVENT BEGIN\n"             // 8 misplaced
      "\n"                        // 9 empty: not counted as anything
      "1|LIKE_UNSPECIFIED|8|9\n"  // 10
      "1|LIKE_UNSPECIFIED|8|9\n"  // 11 late
      "6|LIKE_LIKED|1|2\n"        // 12
      "EVENT END\n"               // 13: decides 4 and 6, 3 and 5 missing
      "7|LIKE_LIKED|1|2\n");      // 14 after the end
  engine.finish();
  Stats expected;
  expected.lines = 14;
  expected.events = 4;
  expected.decided = 4;
  expected.matches = 2;
  expected.malformed = 2;
  expected.oversized = 1;
  expected.duplicates = 2;
  expected.conflicting = 1;
  expected.late = 1;
  expected.misplaced_control = 1;
  expected.after_end = 1;
  expected.gaps = 2;
  expected.max_buffered = 2;  // 4 and 2 at once; 1 never waited, it was next in line
  CHECK(engine.stats() == expected);
  CHECK(sink.match_seqs() == Seqs{4, 6});
}

}  // namespace likematch::test
