// The streaming engine against the reference matcher, on generated streams of every shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/engine/engine.hpp"
#include "core/harness/generator.hpp"
#include "core/harness/random.hpp"
#include "core/rules/reference_matcher.hpp"
#include "core/rules/rule_comparison.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/streams.hpp"

namespace likematch::test {

namespace {

// Feeds `text` in pieces of random sizes: often tiny (1 byte up), sometimes large.
RecordingSink run_chunked(const std::string& text, const MatchRules& rules, Random& random) {
  RecordingSink sink;
  Engine engine(EngineOptions{rules}, sink);
  std::size_t at = 0;
  while (at < text.size()) {
    const std::uint64_t scale = std::uint64_t{1} << random.below(17);
    const std::size_t size = 1 + random.below(scale);
    engine.feed(std::string_view(text).substr(at, size));
    at += size;
  }
  engine.finish();
  return sink;
}

Shuffle pick_shuffle(Random& random) {
  switch (random.below(3)) {
    case 0:
      return {ShuffleKind::none, 0};
    case 1:
      return {ShuffleKind::full, 0};
    default: {
      const std::uint64_t windows[] = {1, 2, 3, 10, 100, 5000};
      return {ShuffleKind::window, windows[random.below(6)]};
    }
  }
}

std::uint64_t pick_users(Random& random) {
  const std::uint64_t users[] = {2, 3, 5, 10, 50, 1000, 10'000};
  return users[random.below(7)];
}

// Mostly small streams (where repeats and odd orders are dense), some medium ones.
std::uint64_t pick_events(Random& random) {
  switch (random.below(4)) {
    case 0:
      return 1 + random.below(10);
    case 1:
      return 1 + random.below(100);
    case 2:
      return 1 + random.below(1'000);
    default:
      return 1 + random.below(5'000);
  }
}

// A generated stream's options, drawn: its size, density, shuffle and self-likes.
GeneratorOptions pick_options(Random& random, std::uint64_t seed) {
  GeneratorOptions options;
  options.seed = seed;
  options.events = pick_events(random);
  options.users = pick_users(random);
  options.shuffle = pick_shuffle(random);
  options.self_likes = random.below(3) == 0;
  return options;
}

std::string describe(const GeneratorOptions& options, const MatchRules& rules) {
  return "events " + std::to_string(options.events) + ", users " + std::to_string(options.users) +
         ", seed " + std::to_string(options.seed) + ", shuffle " +
         likematch::to_string(options.shuffle) + (options.self_likes ? ", self-likes" : "") +
         ", rule " + std::string(to_string(rules.rule)) + (rules.once ? " once" : "") +
         ", self-likes " + std::string(to_string(rules.self_likes));
}

void check_against_reference(const GeneratorOptions& options, Random& random) {
  const std::vector<Event> events = likematch::generate_events(options);
  const Framing framing{random.below(2) == 0, random.below(4) == 0};
  const std::string text = stream_text(events, framing);
  for (const MatchRules& rules : likematch::k_rule_variants) {
    INFO(describe(options, rules) << (framing.crlf ? ", CRLF" : ""));
    const std::vector<Match> expected = likematch::reference_matches(events, rules);
    const RecordingSink sink = run_chunked(text, rules, random);
    REQUIRE(sink.matches.size() == expected.size());
    REQUIRE(sink.matches == expected);
    REQUIRE(sink.warnings.empty());
  }
}

// Copies some events (identical or with other content, always after the original) and
// drops others, then shuffles a little more so that copies also land far from home.
struct Damaged {
  std::vector<Event> events;
  std::uint64_t copies = 0;
  std::set<std::uint64_t> dropped;
};

Damaged damage(const std::vector<Event>& clean, Random& random) {
  Damaged out;
  const std::uint64_t drop_one_in = 2 + random.below(20);
  const std::uint64_t copy_one_in = 2 + random.below(20);
  for (const Event& event : clean) {
    if (random.below(drop_one_in) == 0) {
      out.dropped.insert(event.seq);
      continue;
    }
    out.events.push_back(event);
  }
  const std::size_t kept = out.events.size();
  for (std::size_t i = 0; i < kept; ++i) {
    if (random.below(copy_one_in) != 0) {
      continue;
    }
    Event copy = out.events[i];
    if (random.below(2) == 0) {
      copy.type = static_cast<LikeType>(1 + random.below(3));
      copy.from = 1 + random.below(5);
    }
    // Anywhere after the original: right behind it, or much later (then usually late).
    const std::size_t at = i + 1 + random.below(out.events.size() - i);
    out.events.insert(out.events.begin() + static_cast<std::ptrdiff_t>(at), copy);
    ++out.copies;
  }
  return out;
}

}  // namespace

TEST_CASE("the engine gives the reference's matches on generated streams", "[property]") {
  Random random(20240601);
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const GeneratorOptions options = pick_options(random, seed);
    check_against_reference(options, random);
  }
}

TEST_CASE("the engine gives the reference's matches on the largest streams", "[property]") {
  Random random(7);
  const Shuffle shuffles[] = {{ShuffleKind::full, 0}, {ShuffleKind::window, 1000}};
  const std::uint64_t users[] = {2, 300, 10'000};
  for (const Shuffle& shuffle : shuffles) {
    for (const std::uint64_t user_count : users) {
      GeneratorOptions options;
      options.events = 100'000;
      options.users = user_count;
      options.seed = 42 + user_count;
      options.shuffle = shuffle;
      // 300 users: about 330 self-likes, some users liking themselves again and again.
      options.self_likes = user_count == 300;
      check_against_reference(options, random);
    }
  }
}

TEST_CASE("the engine gives the reference's matches with two users and self-likes", "[property]") {
  // Two users, self-likes allowed: every kind of pair, repeats and withdrawals in plenty.
  Random random(99);
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    GeneratorOptions options;
    options.seed = seed;
    options.events = 1 + random.below(200);
    options.users = 1 + random.below(2);
    options.self_likes = true;
    options.shuffle = pick_shuffle(random);
    check_against_reference(options, random);
  }
}

TEST_CASE("the engine keeps the first copy and skips missing numbers like the reference",
          "[property]") {
  Random random(31337);
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    const GeneratorOptions options = pick_options(random, seed);
    const Damaged damaged = damage(likematch::generate_events(options), random);
    const std::string text = stream_text(damaged.events, Framing{random.below(2) == 0, false});

    // The engine can only know of the missing numbers below the largest one that arrived.
    std::uint64_t largest = 0;
    for (const Event& event : damaged.events) {
      largest = std::max(largest, event.seq);
    }
    const auto known_missing = static_cast<std::uint64_t>(
        std::distance(damaged.dropped.begin(), damaged.dropped.lower_bound(largest)));

    for (const MatchRules& rules : likematch::k_rule_variants) {
      INFO(describe(options, rules)
           << ", " << damaged.copies << " copies, " << damaged.dropped.size() << " dropped");
      RecordingSink sink;
      Engine engine(EngineOptions{rules}, sink);
      std::size_t at = 0;
      while (at < text.size()) {
        const std::size_t size = 1 + random.below(std::uint64_t{1} << random.below(15));
        engine.feed(std::string_view(text).substr(at, size));
        at += size;
      }
      engine.finish();
      REQUIRE(sink.matches == likematch::reference_matches(damaged.events, rules));
      // The chunking changes nothing, warnings and their line numbers included.
      CHECK(sink.warnings == likematch::test::run_engine(text, rules).warnings);
      CHECK(engine.stats().duplicates + engine.stats().late == damaged.copies);
      CHECK(engine.stats().gaps == known_missing);
      CHECK(engine.stats().events + damaged.copies == damaged.events.size());
    }
  }
}

TEST_CASE("the engine gives the reference's matches on sparse and huge sequence numbers",
          "[property]") {
  // Renumbering keeps the order but leaves gaps of every size up to 2^64-1, so events wait in
  // the ring, in the far-ahead overflow, and move between them.
  Random random(4242);
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    GeneratorOptions options;
    options.seed = seed;
    options.events = 1 + random.below(random.below(2) == 0 ? 50 : 3'000);
    options.users = pick_users(random);
    options.shuffle = pick_shuffle(random);
    std::vector<Event> events = likematch::generate_events(options);

    // New numbers: increasing, with steps drawn from 1 up to 2^bits; some streams end exactly
    // at 18446744073709551615.
    const std::uint64_t bits = random.below(48);
    std::vector<std::uint64_t> renumbered(options.events + 1);
    std::uint64_t at = 0;
    for (std::uint64_t old = 1; old <= options.events; ++old) {
      at += 1 + random.below(std::uint64_t{1} << random.below(bits + 1));
      renumbered[old] = at;
    }
    if (random.below(3) == 0) {
      const std::uint64_t shift = UINT64_MAX - renumbered[options.events];
      for (std::uint64_t& seq : renumbered) {
        seq += shift;
      }
    }
    for (Event& event : events) {
      event.seq = renumbered[event.seq];
    }
    const std::uint64_t missing = renumbered[options.events] - options.events;
    const std::string text = stream_text(events, Framing{random.below(2) == 0, false});

    for (const MatchRules& rules : likematch::k_rule_variants) {
      INFO(describe(options, rules)
           << ", steps up to 2^" << bits << ", last " << renumbered[options.events]);
      const RecordingSink sink = run_chunked(text, rules, random);
      REQUIRE(sink.matches == likematch::reference_matches(events, rules));
      if (missing == 0) {
        CHECK(sink.warnings.empty());
      } else {
        REQUIRE(sink.warnings.size() == 1);
        CHECK(sink.warnings[0].kind == likematch::WarningKind::gaps);
        CHECK_THAT(sink.warnings[0].message,
                   Catch::Matchers::StartsWith(std::to_string(missing) + " sequence number"));
      }
    }
  }
}

}  // namespace likematch::test
