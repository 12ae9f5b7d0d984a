#pragma once

#include <asio.hpp>

#include <array>
#include <chrono>
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

// What the listener says and how it judges what it reads. io knows no protocol words and
// finds no lines: the script gets the bytes as read.
struct ListenerScript {
  std::string greeting;  // written as soon as connected
  // Bytes read, any chunking: a reply ends the conversation.
  std::function<std::optional<ListenerReply>(std::string_view bytes)> on_bytes;
  // The server closed (end of stream, or a reset): a reply, or nullopt (then the run fails).
  std::function<std::optional<ListenerReply>()> on_peer_closed;
  // Once the script has all it expects it asks for quiet: wants_quiet() is asked once
  // connected and after every on_bytes that did not reply. When it says yes and the run's
  // source has written its whole stream, the listener waits its `quiet_for` more: bytes still
  // go to on_bytes (which may reply), and if none replies, on_quiet() gives the reply.
  // Without wants_quiet, the script never asks.
  std::function<bool()> wants_quiet;
  std::function<ListenerReply()> on_quiet;
};

// The harness's Event Listener connection: greets, hands what it reads to the script, and
// once the script replies, writes the reply and closes (the challenge's listener closes after
// its verdict). A slow reader reads in small pieces with pauses, as a busy harness might, so
// that the server's writes back up.
class HarnessListener : public std::enable_shared_from_this<HarnessListener> {
 public:
  using Clock = std::chrono::steady_clock;

  enum class End {
    replied,         // the script replied; the reply was written (or the peer was gone)
    closed_by_peer,  // end of stream (or reset) and the script had no reply
    failed,          // a read or write error before any reply
  };
  // Called once, not after stop().
  using EndHandler = std::function<void(End, const ListenerReply*, std::error_code)>;

  // `script` must outlive the listener.
  HarnessListener(asio::ip::tcp::socket socket, const ListenerScript& script, bool slow_reader,
                  std::chrono::milliseconds quiet_for, EndHandler on_end);
  HarnessListener(const HarnessListener&) = delete;
  HarnessListener& operator=(const HarnessListener&) = delete;

  void start();
  void stop();
  // The run's source wrote its whole stream at `when`: the quiet may begin.
  void source_finished(Clock::time_point when);

  std::uint64_t bytes_read() const { return m_bytes; }
  // When the reply was due, for the time a run reports: when the bytes that decided it were
  // read; for a reply after quiet (or a close after the script asked for it), when the script
  // first asked for quiet, or, if it asked before reading anything, when the source finished.
  Clock::time_point decided_at() const { return m_decided_at; }
  // When the script had all it expected, if it has said so: when it first asked for quiet, or,
  // if it asked before reading anything, when the source finished.
  std::optional<Clock::time_point> complete_at() const;

 private:
  void do_read();
  void on_read(std::error_code error, std::size_t got);
  void do_pause();
  // After the script has read more (or at the start): does it ask for quiet now?
  void ask_for_quiet(bool after_bytes);
  void start_quiet_if_due();
  void do_reply(ListenerReply reply, Clock::time_point decided_at);
  void write_reply();
  void end(End how, std::error_code error);

  // Large enough that a fast reader drains a socket in a few calls.
  static constexpr std::size_t k_read_bytes = 64 * 1024;

  asio::ip::tcp::socket m_socket;
  asio::steady_timer m_pause;
  asio::steady_timer m_quiet;
  const ListenerScript& m_script;
  bool m_slow;
  std::chrono::milliseconds m_quiet_for;
  EndHandler m_on_end;
  std::array<char, k_read_bytes> m_buffer{};
  std::optional<ListenerReply> m_reply;
  std::uint64_t m_bytes = 0;
  bool m_greeted = false;  // the greeting's write completed
  // When the script first asked for quiet; whether it asked before reading anything.
  std::optional<Clock::time_point> m_wants_quiet_since;
  bool m_quiet_from_start = false;
  std::optional<Clock::time_point> m_source_finished_at;
  bool m_quiet_started = false;
  Clock::time_point m_decided_at{};
  bool m_stopped = false;
};

}  // namespace likematch::io
