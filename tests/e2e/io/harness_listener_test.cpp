#include "io/harness_listener.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "tests/support/io_loop.hpp"

namespace likematch::test {
namespace {

using io::HarnessListener;
using io::ListenerReply;
using io::ListenerScript;
using Clock = HarnessListener::Clock;

// A HarnessListener on one end of a loopback pair, the test's Peer playing the server.
struct ListenerRun {
  // Starts the listener with `script`, which is wrapped to record what it is handed.
  void start(ListenerScript given, std::chrono::milliseconds quiet_for = std::chrono::seconds(10),
             bool slow_reader = false) {
    script = std::move(given);
    auto on_bytes = script.on_bytes;
    script.on_bytes = [this, on_bytes](std::string_view bytes) {
      handed.append(bytes);
      ++calls;
      return on_bytes(bytes);
    };
    listener = std::make_shared<HarnessListener>(
        std::move(pair.ours), script, slow_reader, quiet_for,
        [this](HarnessListener::End how, const ListenerReply* reply, std::error_code) {
          end = how;
          if (reply != nullptr) {
            replied = reply->line;
          }
        });
    listener->start();
  }

  bool run_until(const std::function<bool()>& done) {
    return test::run_until(io, done, [this] { pair.peer.read_ready(); });
  }
  bool run_to_end() {
    return run_until([this] { return end.has_value() && pair.peer.eof(); });
  }
  Peer& peer() { return pair.peer; }

  asio::io_context io;
  SocketPair pair = connected_pair(io);
  ListenerScript script;
  std::shared_ptr<HarnessListener> listener;
  std::string handed;  // every byte the script was given
  int calls = 0;
  std::optional<HarnessListener::End> end;
  std::optional<std::string> replied;
};

// Replies BYE once it has been handed `last`.
ListenerScript reply_at(std::string last) {
  ListenerScript script;
  script.greeting = "HELLO\n";
  auto seen = std::make_shared<std::string>();
  script.on_bytes = [last, seen](std::string_view bytes) -> std::optional<ListenerReply> {
    seen->append(bytes);
    if (seen->ends_with(last)) {
      return ListenerReply{"BYE\n", false};
    }
    return std::nullopt;
  };
  script.on_peer_closed = [] { return std::nullopt; };
  return script;
}

// Expects nothing: asks for quiet at once, says QUIET after it, WRONG at any byte.
ListenerScript expecting_nothing() {
  ListenerScript script;
  script.greeting = "HELLO\n";
  script.on_bytes = [](std::string_view) { return ListenerReply{"WRONG\n", true}; };
  script.on_peer_closed = [] { return ListenerReply{"CLOSED\n", false}; };
  script.wants_quiet = [] { return true; };
  script.on_quiet = [] { return ListenerReply{"QUIET\n", false}; };
  return script;
}

}  // namespace

TEST_CASE("hands the script every byte as read, lines or not", "[harness_listener]") {
  ListenerRun run;
  run.start(reply_at("333"));
  REQUIRE(run.peer().send("1\n22\r\n\n3"));
  REQUIRE(run.run_until([&] { return run.handed.size() == 8; }));
  REQUIRE(run.peer().send("33"));
  REQUIRE(run.run_to_end());
  CHECK(run.handed == "1\n22\r\n\n333");
  CHECK(run.peer().received == "HELLO\nBYE\n");
  CHECK(run.end == HarnessListener::End::replied);
  CHECK(run.listener->bytes_read() == 10);
}

TEST_CASE("reads nothing after the script's reply", "[harness_listener]") {
  ListenerRun run;
  run.start(reply_at("2\n"));
  REQUIRE(run.peer().send("1\n2\n"));
  REQUIRE(run.run_to_end());
  run.peer().send("3\n");
  run.io.run_for(k_wait);  // returns once nothing is left to run
  CHECK(run.handed == "1\n2\n");
  CHECK(run.peer().received == "HELLO\nBYE\n");
}

TEST_CASE("reads in small pieces as a slow reader", "[harness_listener]") {
  ListenerRun run;
  run.start(reply_at("!"), std::chrono::seconds(10), /*slow_reader=*/true);
  REQUIRE(run.peer().send(std::string(1000, '7') + "!"));
  REQUIRE(run.run_to_end());
  CHECK(run.handed.size() == 1001);
  CHECK(run.calls >= 16);
}

TEST_CASE("hands the end of the stream to the script, which may reply", "[harness_listener]") {
  ListenerRun run;
  ListenerScript script = reply_at("never");
  script.on_peer_closed = [] { return ListenerReply{"LAST\n", false}; };
  run.start(script);
  REQUIRE(run.peer().send("1\n2"));
  run.peer().shutdown_write();
  REQUIRE(run.run_to_end());
  CHECK(run.handed == "1\n2");
  CHECK(run.peer().received == "HELLO\nLAST\n");
  CHECK(run.end == HarnessListener::End::replied);
}

TEST_CASE("says the peer closed when the script has no reply for it", "[harness_listener]") {
  ListenerRun run;
  run.start(reply_at("2\n"));
  REQUIRE(run.peer().send("1\n"));
  run.peer().shutdown_write();
  REQUIRE(run.run_to_end());
  CHECK(run.end == HarnessListener::End::closed_by_peer);
  CHECK_FALSE(run.replied);
  CHECK(run.peer().received == "HELLO\n");
}

TEST_CASE("waits for the source before its quiet begins", "[harness_listener]") {
  ListenerRun run;
  run.start(expecting_nothing(), std::chrono::milliseconds(0));
  // A quiet of 0 ms would be over at once, if it had begun.
  for (int i = 0; i < 50; ++i) {
    run.io.poll();
  }
  CHECK_FALSE(run.end);
  const Clock::time_point source_end = Clock::now();
  run.listener->source_finished(source_end);
  REQUIRE(run.run_to_end());
  CHECK(run.peer().received == "HELLO\nQUIET\n");
  CHECK(run.handed.empty());
  // Nothing was expected: the verdict counts from the source's end.
  CHECK(run.listener->decided_at() == source_end);
}

TEST_CASE("expecting nothing, still reads: a byte in the quiet is answered at once",
          "[harness_listener]") {
  ListenerRun run;
  run.start(expecting_nothing(), std::chrono::seconds(10));
  run.listener->source_finished(Clock::now());
  REQUIRE(run.peer().send("5\n7\n"));
  REQUIRE(run.run_to_end());
  CHECK(run.handed.starts_with("5"));
  CHECK(run.peer().received == "HELLO\nWRONG\n");
}

TEST_CASE("a close in the quiet goes to the script", "[harness_listener]") {
  ListenerRun run;
  run.start(expecting_nothing(), std::chrono::seconds(10));
  run.listener->source_finished(Clock::now());
  run.peer().shutdown_write();
  REQUIRE(run.run_to_end());
  CHECK(run.peer().received == "HELLO\nCLOSED\n");
}

TEST_CASE("counts a verdict after the quiet from when the script had all it expected",
          "[harness_listener]") {
  constexpr std::chrono::milliseconds k_quiet{50};
  ListenerRun run;
  ListenerScript script;
  script.greeting = "HELLO\n";
  auto complete = std::make_shared<bool>(false);
  std::optional<Clock::time_point> completed_in;  // inside the on_bytes that completed it
  std::optional<Clock::time_point> quiet_asked;
  script.on_bytes = [&, complete](std::string_view bytes) -> std::optional<ListenerReply> {
    if (bytes.find('7') != std::string_view::npos) {
      *complete = true;
      completed_in = Clock::now();
    }
    return std::nullopt;
  };
  script.wants_quiet = [complete] { return *complete; };
  script.on_quiet = [&] {
    quiet_asked = Clock::now();
    return ListenerReply{"OK\n", false};
  };
  run.start(script, k_quiet);
  run.listener->source_finished(Clock::now());
  REQUIRE(run.peer().send("4\n"));
  REQUIRE(run.run_until([&] { return run.handed == "4\n"; }));
  REQUIRE(run.peer().send("7\n"));
  REQUIRE(run.run_to_end());
  CHECK(run.peer().received == "HELLO\nOK\n");
  REQUIRE(completed_in);
  REQUIRE(quiet_asked);
  // The time reported is the last number's, not the end of the quiet.
  CHECK(run.listener->decided_at() >= *completed_in);
  CHECK(*quiet_asked - run.listener->decided_at() >= k_quiet);
}

}  // namespace likematch::test
