#include "io/harness_listener.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using likematch::io::HarnessListener;
using likematch::io::ListenerReply;
using likematch::io::ListenerScript;
using Tcp = asio::ip::tcp;

struct Conversation {
  std::vector<std::string> lines;  // what the listener handed to its script
  std::string peer_heard;          // what the peer read from the listener
  std::optional<HarnessListener::End> end;
};

// Connects a HarnessListener to a loopback peer that writes `peer_says` in one piece, then
// reads until the listener closes. Bounded in time.
Conversation converse(const std::string& peer_says, ListenerScript script,
                      bool close_after_writing = false) {
  asio::io_context io;
  Tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  Tcp::socket peer(io);
  Tcp::socket ours(io);
  Conversation conversation;
  std::vector<std::string>& lines = conversation.lines;
  auto on_line = script.on_line;
  script.on_line = [&lines, on_line](std::string_view line) {
    lines.emplace_back(line);
    return on_line(line);
  };

  ours.connect(acceptor.local_endpoint());
  acceptor.accept(peer);
  auto listener =
      std::make_shared<HarnessListener>(std::move(ours), script, false,
                                        [&](HarnessListener::End how, const ListenerReply*,
                                            std::error_code) { conversation.end = how; });
  listener->start();
  asio::write(peer, asio::buffer(peer_says));
  if (close_after_writing) {
    peer.shutdown(Tcp::socket::shutdown_send);
  }
  std::array<char, 4096> buffer{};
  std::function<void()> read_peer = [&] {
    peer.async_read_some(asio::buffer(buffer), [&](std::error_code error, std::size_t got) {
      conversation.peer_heard.append(buffer.data(), got);
      if (!error) {
        read_peer();
      }
    });
  };
  read_peer();
  io.run_for(std::chrono::seconds(10));
  return conversation;
}

ListenerScript reply_at(std::string last_line) {
  ListenerScript script;
  script.greeting = "HELLO\n";
  script.on_line = [last_line](std::string_view line) -> std::optional<ListenerReply> {
    if (line == last_line) {
      return ListenerReply{"BYE\n", false};
    }
    return std::nullopt;
  };
  return script;
}

}  // namespace

TEST_CASE("hands the script each line without its newline", "[harness_listener]") {
  const Conversation talk = converse("1\n22\r\n\n333\n", reply_at("333"));

  CHECK(talk.lines == std::vector<std::string>{"1", "22\r", "", "333"});
  CHECK(talk.peer_heard == "HELLO\nBYE\n");
  CHECK(talk.end == HarnessListener::End::replied);
}

TEST_CASE("reads nothing after the script's reply", "[harness_listener]") {
  const Conversation talk = converse("1\n2\n3\n", reply_at("2"));

  CHECK(talk.lines == std::vector<std::string>{"1", "2"});
  CHECK(talk.peer_heard == "HELLO\nBYE\n");
}

TEST_CASE("greets and replies at once when the script needs no line", "[harness_listener]") {
  ListenerScript script = reply_at("never");
  script.initial_reply = ListenerReply{"DONE\n", false};

  const Conversation talk = converse("1\n", script);

  CHECK(talk.lines.empty());
  CHECK(talk.peer_heard == "HELLO\nDONE\n");
  CHECK(talk.end == HarnessListener::End::replied);
}

TEST_CASE("hands over a line too long to wait for", "[harness_listener]") {
  const std::string runaway(5000, '7');

  ListenerScript script = reply_at("never");
  script.on_line = [](std::string_view line) -> std::optional<ListenerReply> {
    if (line.size() > 4096) {
      return ListenerReply{"TOO LONG\n", true};
    }
    return std::nullopt;
  };

  const Conversation talk = converse(runaway, script);

  // Judged once past 4096 bytes (how far past depends on the reads); no '\n' is waited for.
  REQUIRE(talk.lines.size() == 1);
  CHECK(talk.lines[0].size() > 4096);
  CHECK(talk.peer_heard == "HELLO\nTOO LONG\n");
}

TEST_CASE("hands over a last line without a newline when the peer closes", "[harness_listener]") {
  const Conversation talk = converse("1\n2", reply_at("2"), true);

  CHECK(talk.lines == std::vector<std::string>{"1", "2"});
  CHECK(talk.peer_heard == "HELLO\nBYE\n");
}

TEST_CASE("says the peer closed before any reply", "[harness_listener]") {
  const Conversation talk = converse("1\n", reply_at("2"), true);

  CHECK(talk.lines == std::vector<std::string>{"1"});
  CHECK(talk.end == HarnessListener::End::closed_by_peer);
  CHECK(talk.peer_heard == "HELLO\n");
}
