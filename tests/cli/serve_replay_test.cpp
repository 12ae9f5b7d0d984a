// serve and replay read a source's bytes the same way: for any bytes a source sends, the
// listener's list, the warnings (line numbers and words) and the summary's counts of serve are
// exactly what `likematch replay` of the session's recording prints and counts.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/messages.hpp"
#include "cli/replay.hpp"
#include "core/engine/engine.hpp"
#include "core/harness/random.hpp"
#include "core/session/session_hub.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/files.hpp"
#include "tests/support/recording_sink.hpp"

namespace likematch {
namespace {

using test::CapturedOutput;
using test::RecordingSink;
using test::TempDir;

constexpr ConnectionId k_listener = 1;
constexpr ConnectionId k_source = 2;

// What serve's wiring does with the hub's reports, minus the sockets: the listener's bytes,
// the warnings, the summary, and the recording (cli/serve.cpp records each piece before the
// hub reads it, and stops once the session's input has ended).
class ServeSide : public HubActions {
 public:
  void send(ConnectionId, std::shared_ptr<const std::string> bytes) override { listener += *bytes; }
  void close(ConnectionId) override {}
  void wake_at(SessionHub::Clock::time_point) override {}
  void log(Severity, std::string) override {}
  void warning(std::uint64_t, ConnectionId, const Warning& warning) override {
    warnings.push_back(warning);
  }
  void session_began(const SessionReport&) override { recording = true; }
  void input_ended(const SessionReport& report) override {
    recording = false;
    ended = report;
  }
  void listener_left(const ListenerReport&, const ErrorAnalysis*) override {}
  void summary(const SessionReport&) override {}
  void source_dropped(ConnectionId) override {}

  std::string listener;
  std::vector<Warning> warnings;
  bool recording = false;
  std::optional<SessionReport> ended;
};

// Streams of everything a source may send: junk before the first valid line, control lines
// anywhere (EVENT END first too), byte order marks, overlong lines, "\r", duplicates, gaps,
// far-ahead numbers, data after the end, no final newline.
std::string random_stream(Random& random) {
  std::string text;
  if (random.below(4) == 0) {
    text += "\xEF\xBB\xBF";
  }
  const std::uint64_t lines = 1 + random.below(random.below(4) == 0 ? 400 : 40);
  const std::uint64_t users = 2 + random.below(6);
  for (std::uint64_t i = 0; i < lines; ++i) {
    std::string line;
    switch (random.below(16)) {
      case 0:
        line = "EVENT BEGIN";
        break;
      case 1:
        line = "EVENT END";
        break;
      case 2:
        line = std::string(20 + random.below(60), 'x');  // overlong at the limit of 40
        break;
      case 3:
        line =
            "\xEF\xBB\xBF"
            "3|LIKE_LIKED|1|2";
        break;
      case 4: {
        const char* junk[] = {"hello",
                              "GET / HTTP/1.1",
                              "",
                              "1|LIKE_LIKED|1",
                              "\xFF\xFE",
                              "MATCH BEGIN",
                              "5|LIKE_LOVED|1|2",
                              "0|LIKE_LIKED|1|2"};
        line = junk[random.below(8)];
        break;
      }
      case 5:
        line = fmt::format("{}|LIKE_LIKED|{}|{}", 1'000'000 + random.below(3),
                           1 + random.below(users), 1 + random.below(users));
        break;
      default: {
        const char* types[] = {"LIKE_LIKED", "LIKE_LIKED", "LIKE_NOT_LIKED", "LIKE_UNSPECIFIED"};
        line = fmt::format("{}|{}|{}|{}", 1 + random.below(lines), types[random.below(4)],
                           1 + random.below(users), 1 + random.below(users));
      }
    }
    const char* ends[] = {"\n", "\n", "\n", "\r\n", "\r\r\n"};
    text += line + ends[random.below(5)];
  }
  if (random.below(4) == 0 && !text.empty()) {
    text.pop_back();  // no final newline (or a lone "\r" at the end)
  }
  return text;
}

std::vector<std::string_view> random_pieces(std::string_view text, Random& random) {
  std::vector<std::string_view> pieces;
  while (!text.empty()) {
    const std::size_t size =
        std::min<std::size_t>(text.size(), 1 + random.below(std::uint64_t{1} << random.below(10)));
    pieces.push_back(text.substr(0, size));
    text.remove_prefix(size);
  }
  return pieces;
}

TEST_CASE("serve and replay of its recording agree on the list, the warnings and the counts",
          "[serve][replay][property]") {
  Random random(1911);
  TempDir dir;
  int sessions = 0;
  for (int round = 0; round < 400; ++round) {
    const std::string stream = random_stream(random);
    HubOptions options;
    options.engine.max_line_length = 40;
    options.engine.max_buffered = random.below(4) == 0 ? 1 + random.below(20) : 50'000'000;
    options.max_warnings = 0;  // every warning, to compare them all
    INFO("round " << round << ", max buffered " << options.engine.max_buffered << ", stream:\n"
                  << stream);

    // serve: a listener waits, the source sends the stream in pieces and closes.
    ServeSide serve;
    SessionHub hub(options, serve);
    hub.listener_connected(k_listener);
    hub.source_connected(k_source);
    std::string recording;
    for (const std::string_view piece : random_pieces(stream, random)) {
      const bool record = serve.recording || !serve.ended;
      hub.source_bytes(k_source, piece);
      if (record) {
        recording += piece;
      }
    }
    hub.source_closed(k_source);
    if (hub.sessions_started() == 0) {
      // No session came of it: no recording to compare with. Its lines were read all the
      // same, as replay reads them.
      RecordingSink alone;
      Engine engine(options.engine, alone);
      engine.feed(stream);
      engine.finish();
      CHECK(serve.warnings == alone.warnings);
      CHECK(serve.listener.empty());
      continue;
    }
    ++sessions;
    REQUIRE(serve.ended);

    // The engine over the recording, in other pieces.
    RecordingSink engine_sink;
    Engine engine(options.engine, engine_sink);
    for (const std::string_view piece : random_pieces(recording, random)) {
      engine.feed(piece);
    }
    engine.finish();
    std::string engine_list;
    for (const Match& match : engine_sink.matches) {
      engine_list += fmt::format("{}\n", match.seq);
    }
    CHECK(serve.listener == engine_list);
    CHECK(serve.warnings == engine_sink.warnings);
    CHECK(serve.ended->stats == engine.stats());

    // `likematch replay` of the recording.
    cli::ReplayOptions replay;
    replay.files = {dir.write("session.events", recording)};
    replay.engine = options.engine;
    replay.max_warnings = UINT64_MAX;  // every warning, to compare them all
    CapturedOutput output;
    cli::run_replay(replay, output.output());
    CHECK(output.out() == serve.listener);
    std::string warnings;
    for (const Warning& warning : serve.warnings) {
      warnings +=
          fmt::format("{}: {}\n",
                      warning.line == 0 ? std::string("end of input")
                                        : fmt::format("{}:{}", replay.files[0], warning.line),
                      cli::warning_text(warning));
    }
    CHECK(output.err() == warnings);
  }
  // Most rounds make a session, so that the comparison is not empty.
  CHECK(sessions > 300);
}

}  // namespace
}  // namespace likematch
