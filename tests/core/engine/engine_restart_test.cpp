// An engine on a finished session's tables (TablePool) against a new engine, on the same
// streams: every result must be the same, whatever the previous stream left behind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/engine/engine_tables.hpp"
#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"
#include "core/rules/rule_comparison.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {

namespace {

// A generated stream's event lines, without control lines.
std::string lines_of_generated(std::uint64_t events, std::uint64_t users) {
  GeneratorOptions generator;
  generator.events = events;
  generator.users = users;
  return likematch::test::stream_text(likematch::generate_events(generator),
                                      likematch::test::k_lines_only);
}

// Everything an engine can say, variant matches and decided events included.
class FullSink : public likematch::test::RecordingSink {
 public:
  void on_variant_match(const Match& match, VariantSet variants) override {
    variant_matches.emplace_back(match, variants);
  }
  void on_decided(const Event& event) override { decided.push_back(event); }

  std::vector<std::pair<Match, VariantSet>> variant_matches;
  std::vector<Event> decided;
};

struct Stream {
  std::string text;
  EngineOptions options;
  bool finish = true;  // false: dropped mid-stream
  std::string shape;   // for failure messages
};

// A stream of any shape the engine has to cope with: shuffled, damaged, sparse and huge
// sequence numbers, ids of 32 bits and more, junk lines, a byte order mark, cut at the
// buffer limit, or not finished at all.
Stream make_stream(Random& random) {
  Stream stream;
  GeneratorOptions generator;
  generator.seed = 1 + random.below(1'000'000);
  generator.events = 1 + random.below(random.below(3) == 0 ? 5'000 : 300);
  const std::uint64_t users[] = {2, 5, 50, 1000, 10'000};
  generator.users = users[random.below(5)];
  generator.self_likes = random.below(3) == 0;
  switch (random.below(3)) {
    case 0:
      generator.shuffle = Shuffle{ShuffleKind::none, 0};
      break;
    case 1:
      generator.shuffle = Shuffle{ShuffleKind::full, 0};
      break;
    default:
      generator.shuffle = Shuffle{ShuffleKind::window, 1 + random.below(200)};
  }
  std::vector<Event> events = likematch::generate_events(generator);
  stream.shape = "events " + std::to_string(generator.events) + ", users " +
                 std::to_string(generator.users) + ", shuffle " +
                 likematch::to_string(generator.shuffle);

  if (random.below(4) == 0) {
    // Far-ahead numbers: gaps of any size, sometimes ending at 2^64-1.
    const std::uint64_t bits = random.below(48);
    std::uint64_t at = 0;
    std::vector<std::uint64_t> renumbered(generator.events + 1);
    for (std::uint64_t old = 1; old <= generator.events; ++old) {
      at += 1 + random.below(std::uint64_t{1} << random.below(bits + 1));
      renumbered[old] = at;
    }
    const std::uint64_t shift =
        random.below(3) == 0 ? UINT64_MAX - renumbered[generator.events] : 0;
    for (Event& event : events) {
      event.seq = renumbered[event.seq] + shift;
    }
    stream.shape += ", sparse to 2^" + std::to_string(bits) + (shift != 0 ? " at the end" : "");
  }
  if (random.below(4) == 0) {
    // Ids of 32 bits and more (the ring goes wide), or of 29 (beyond 2^28 - 1: the pair
    // table's wide map).
    const std::uint64_t base =
        random.below(2) == 0 ? std::uint64_t{1} << 32 : (std::uint64_t{1} << 29) - 3;
    for (Event& event : events) {
      if (random.below(3) == 0) {
        event.from += base;
        event.to += base;
      }
    }
    stream.shape += ", wide ids from " + std::to_string(base);
  }
  if (random.below(4) == 0) {
    // Copies (identical or not, near or far behind) and missing numbers.
    std::vector<Event> damaged;
    for (const Event& event : events) {
      if (random.below(10) != 0) {
        damaged.push_back(event);
      }
      if (random.below(8) == 0) {
        Event copy = damaged.empty() ? event : damaged[random.below(damaged.size())];
        if (random.below(2) == 0) {
          copy.type = static_cast<LikeType>(1 + random.below(3));
        }
        damaged.push_back(copy);
      }
    }
    events = std::move(damaged);
    stream.shape += ", damaged";
  }

  const bool bom = random.below(4) == 0;
  const bool control = random.below(2) == 0;
  const bool junk = random.below(4) == 0;
  stream.text = bom ? "\xEF\xBB\xBF" : "";
  if (control) {
    stream.text += "EVENT BEGIN\n";
  }
  for (const Event& event : events) {
    likematch::append_line(stream.text, event);
    if (junk && random.below(50) == 0) {
      const char* lines[] = {"nonsense\n",
                             "EVENT BEGIN\n",
                             "7|LIKE_LIKED|1\n",
                             "\xEF\xBB\xBF"
                             "3|LIKE_LIKED|1|2\n",
                             "\n",
                             "1|LIKE_LIKED|1|2|9999999999999999999999999999999999999999\n"};
      stream.text += lines[random.below(6)];
    }
  }
  if (control && random.below(2) == 0) {
    stream.text += "EVENT END\n";
    if (random.below(3) == 0) {
      stream.text += "1|LIKE_LIKED|1|2\n";  // after the end
    }
  }
  if (random.below(5) == 0 && !stream.text.empty() && stream.text.back() == '\n') {
    stream.text.pop_back();  // a last line without its newline
  }
  stream.shape +=
      std::string(bom ? ", BOM" : "") + (control ? ", control lines" : "") + (junk ? ", junk" : "");

  stream.options.rules =
      likematch::k_rule_variants[random.below(likematch::k_rule_variants.size())];
  stream.options.all_variants = random.below(2) == 0;
  stream.options.observe_events = random.below(2) == 0;
  stream.options.max_line_length = random.below(4) == 0 ? 24 + random.below(20) : 4096;
  if (random.below(5) == 0) {
    stream.options.max_buffered = 1 + random.below(100);  // likely cut
    stream.shape += ", max buffered " + std::to_string(stream.options.max_buffered);
  }
  stream.finish = random.below(6) != 0;
  stream.shape += std::string(", rule ") + std::string(to_string(stream.options.rules.rule)) +
                  (stream.options.rules.once ? " once" : "") +
                  (stream.options.all_variants ? ", all variants" : "") +
                  (stream.options.observe_events ? ", observed" : "") +
                  (stream.finish ? "" : ", not finished");
  return stream;
}

std::vector<std::size_t> make_chunks(const std::string& text, Random& random) {
  std::vector<std::size_t> chunks;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t size = 1 + random.below(std::uint64_t{1} << random.below(14));
    chunks.push_back(size);
    at += size;
  }
  return chunks;
}

void run(Engine& engine, const Stream& stream, const std::vector<std::size_t>& chunks) {
  std::size_t at = 0;
  for (const std::size_t size : chunks) {
    engine.feed(std::string_view(stream.text).substr(at, size));
    at += size;
  }
  if (stream.finish) {
    engine.finish();
  }
}

}  // namespace

TEST_CASE("an engine on a finished session's tables gives exactly what a new engine gives",
          "[engine][restart][property]") {
  Random random(8128);
  for (int round = 0; round < 120; ++round) {
    // The pool holds the previous stream's tables, three or four times over.
    TablePool pool(std::size_t{1} << 30);
    const int streams = 3 + static_cast<int>(random.below(2));
    std::string history;
    for (int i = 0; i < streams; ++i) {
      const Stream stream = make_stream(random);
      const std::vector<std::size_t> chunks = make_chunks(stream.text, random);
      INFO("round " << round << ", stream " << i << ": " << stream.shape << "; after " << history);

      FullSink expected;
      Engine fresh(stream.options, expected);
      run(fresh, stream, chunks);

      FullSink sink;
      Engine engine(stream.options, sink, &pool);
      run(engine, stream, chunks);

      REQUIRE(sink.matches == expected.matches);
      REQUIRE(sink.warnings == expected.warnings);
      REQUIRE(sink.variant_matches == expected.variant_matches);
      REQUIRE(sink.decided == expected.decided);
      REQUIRE(engine.stats() == fresh.stats());
      REQUIRE(engine.ended() == fresh.ended());
      REQUIRE(engine.buffered() == fresh.buffered());

      // Finished or dropped mid-stream, its tables go back for the next engine.
      pool.give(engine.release_tables());
      history = stream.shape + (history.empty() ? "" : "; " + history);
    }
  }
}

TEST_CASE("an engine on a finished session's tables keeps their memory", "[engine][restart]") {
  const std::string text = lines_of_generated(50'000, 1'000);
  TablePool pool(std::size_t{1} << 30);
  likematch::test::RecordingSink first_sink;
  Engine first(EngineOptions{}, first_sink, &pool);
  first.feed(text);
  first.finish();
  pool.give(first.release_tables());
  const std::size_t memory = pool.bytes();
  REQUIRE(memory > std::size_t{1} << 20);

  likematch::test::RecordingSink second_sink;
  Engine second(EngineOptions{}, second_sink, &pool);
  second.feed(text);
  second.finish();
  CHECK(pool.bytes() == 0);  // taken by the second engine
  CHECK(second_sink.matches == first_sink.matches);
  CHECK(second.stats() == first.stats());
  const likematch::EngineTables tables = second.release_tables();
  CHECK(tables.memory_bytes() == memory);  // the same stream fits without growing
}

TEST_CASE("a pool keeps no tables larger than its bound", "[engine][restart]") {
  const std::string text = lines_of_generated(50'000, 1'000);
  TablePool pool(std::size_t{1} << 20);
  likematch::test::RecordingSink sink;
  Engine engine(EngineOptions{}, sink, &pool);
  engine.feed(text);
  engine.finish();
  pool.give(engine.release_tables());
  CHECK(pool.bytes() == 0);
}

}  // namespace likematch::test
