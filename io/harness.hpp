#pragma once

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "io/connection_events.hpp"
#include "io/harness_listener.hpp"
#include "io/ports.hpp"

namespace likematch::io {

class Dialer;
class HarnessSource;

// When the listener starts (dials, or accepts in listen mode) relative to the source.
enum class ListenerStart {
  with_source,       // both at once
  first,             // the source starts once the listener is connected
  after_source_end,  // once the source has written its whole stream
  after_delay,       // `listener_delay` after the source is connected
};

struct HarnessPlan {
  bool listen = false;             // accept the server's connections instead of dialing
  std::string host = "127.0.0.1";  // where to dial
  std::string bind = "127.0.0.1";  // where to listen
  std::uint16_t source_port = k_source_port;
  std::uint16_t listener_port = k_listener_port;
  std::size_t chunk_bytes = 0;  // write the source's stream in pieces of this size; 0: at once
  ListenerStart listener_start = ListenerStart::with_source;
  std::chrono::milliseconds listener_delay{0};
  bool slow_reader = false;
  // The listener's grace: once it has every number it expects and the source has written its
  // whole stream, it waits this long for anything more before it says its verdict, since a
  // server that sends a number too many must not be told OK.
  std::chrono::milliseconds grace{200};
  // The whole run, from run() to the listener's reply.
  std::chrono::milliseconds timeout{120'000};
  // How long dialing retries a port that refuses.
  std::chrono::milliseconds connect_timeout = k_connect_timeout;
};

struct HarnessResult {
  enum class End { replied, timed_out, failed };
  End end = End::failed;
  std::optional<ListenerReply> reply;  // replied: what the listener said last
  std::string error;                   // failed: what went wrong
  // From the source's connection (or from run() if it never connected) to the verdict (see
  // HarnessListener::decided_at(): a verdict after the grace counts from when the listener had
  // all it expected, the grace not included), or to the end of a run without one.
  std::chrono::steady_clock::duration elapsed{};
  // The tail: from the source's last byte written to when the listener's script had all it
  // expected (HarnessListener::complete_at()); below 0 if that was before. Unset if the script
  // never had all it expected or the source never finished.
  std::optional<std::chrono::steady_clock::duration> tail;
  bool source_connected = false;
  bool source_finished = false;  // its whole stream was written
  bool listener_connected = false;
};

// One run of the challenge's harness, both clients on one io_context: the Event Source
// writes its stream, the Event Listener greets and judges what it reads through its script
// (with the plan's grace once the script has all it expects). The run ends at the listener's
// reply (a reply that does not stop the run first lets the source finish), at the timeout, or
// at the first connection failure.
class Harness {
 public:
  using Note = std::function<void(std::string_view)>;

  // `source_bytes` is the source's whole stream; `note` hears what happens, for a debug log.
  Harness(HarnessPlan plan, std::string source_bytes, ListenerScript script, Note note = {});
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Listen mode: binds and listens on both ports now, so that the ports (port 0: chosen by
  // the system) are known, and connectable, before run(). An error message, or nullopt.
  std::optional<std::string> open();
  std::uint16_t source_port() const;
  std::uint16_t listener_port() const;

  // Blocks until the run ends. Calls open() first if needed.
  HarnessResult run();
  // Whether the source has written its whole stream: safe from any thread during run(), for a
  // progress line.
  bool source_finished() const { return m_source_finished.load(std::memory_order_relaxed); }

 private:
  using Socket = asio::ip::tcp::socket;
  using ConnectHandler = std::function<void(std::error_code, Socket)>;

  void connect(bool source, ConnectHandler handler);
  void start(Role role);
  void on_source_connected(Socket socket);
  void on_listener_connected(Socket socket);
  void on_source_done(std::error_code error);
  void on_listener_end(HarnessListener::End how, const ListenerReply* reply, std::error_code error);
  void record_tail();
  void fail(std::string error);
  void finish(HarnessResult::End end);
  void note(std::string_view text) const;

  HarnessPlan m_plan;
  std::string m_source_bytes;
  ListenerScript m_script;
  Note m_note;
  asio::io_context m_io;
  asio::ip::tcp::acceptor m_source_acceptor;
  asio::ip::tcp::acceptor m_listener_acceptor;
  asio::steady_timer m_timeout;
  asio::steady_timer m_delay;
  std::shared_ptr<Dialer> m_source_dialer;
  std::shared_ptr<Dialer> m_listener_dialer;
  std::shared_ptr<HarnessSource> m_source;
  std::shared_ptr<HarnessListener> m_listener;
  bool m_opened = false;
  bool m_listener_started = false;
  bool m_finished = false;
  std::chrono::steady_clock::time_point m_started;
  std::chrono::steady_clock::time_point m_source_connected_at;
  std::chrono::steady_clock::time_point m_source_finished_at;
  std::chrono::steady_clock::time_point m_deadline;
  HarnessResult m_result;
  std::atomic<bool> m_source_finished{false};
};

}  // namespace likematch::io
