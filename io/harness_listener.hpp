#pragma once

#include <asio.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace likematch::io {

// The last line the harness's listener sends before it closes.
struct ListenerReply {
  std::string line;  // with its '\n'
  // The run stops here, the source included; otherwise the source first finishes its stream.
  bool stop_run = false;
};

// What the listener says and how it judges what it reads; io knows no protocol words.
struct ListenerScript {
  std::string greeting;                        // written as soon as connected
  std::optional<ListenerReply> initial_reply;  // nothing to wait for: sent right after greeting
  // Each line read, without its '\n': a reply ends the conversation.
  std::function<std::optional<ListenerReply>(std::string_view line)> on_line;
};

// The harness's Event Listener connection: greets, reads lines and hands each to the script,
// and once the script replies, writes the reply and closes (the challenge's listener closes
// after its verdict). A slow reader reads in small pieces with pauses, as a busy harness
// might, so that the server's writes back up.
class HarnessListener : public std::enable_shared_from_this<HarnessListener> {
 public:
  enum class End {
    replied,         // the script replied; the reply was written (or the peer was gone)
    closed_by_peer,  // end of stream (or reset) before any reply
    failed,          // a read or write error before any reply
  };
  // Called once, not after stop().
  using EndHandler = std::function<void(End, const ListenerReply*, std::error_code)>;

  HarnessListener(asio::ip::tcp::socket socket, const ListenerScript& script, bool slow_reader,
                  EndHandler on_end);
  HarnessListener(const HarnessListener&) = delete;
  HarnessListener& operator=(const HarnessListener&) = delete;

  void start();
  void stop();

  std::uint64_t lines_read() const { return m_lines; }

 private:
  void do_read();
  void do_pause();
  void do_reply(ListenerReply reply);
  // False once a reply is due: the rest of the bytes is not read.
  bool take(std::string_view bytes);
  bool take_line(std::string_view line);
  void end(End how, std::error_code error);

  // Large enough that a fast reader drains a socket in a few calls.
  static constexpr std::size_t k_read_bytes = 64 * 1024;

  asio::ip::tcp::socket m_socket;
  asio::steady_timer m_pause;
  const ListenerScript& m_script;
  bool m_slow;
  EndHandler m_on_end;
  std::array<char, k_read_bytes> m_buffer{};
  std::string m_partial;  // a line split across reads
  std::string m_greeting_and_reply;
  std::optional<ListenerReply> m_reply;
  std::uint64_t m_lines = 0;
  bool m_stopped = false;
};

}  // namespace likematch::io
