#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "io/connection_events.hpp"

namespace likematch::io {

// `serve --record DIR`: every session's raw source stream, as received, in a file of its own,
// DIR/<UTC start time>-session-<N>.events, so that `likematch replay` on it prints the matches
// that were served. The names are made here only; nothing a client sends reaches a path.
//
// A source connection is recorded from its first byte; what it sends before its session
// begins is held in memory (at most k_max_prefix, the newest bytes kept) and dropped if no
// session follows. Every method returns std::nullopt or a message for the log; an error ends
// that file only: a recording never stops a session.
class SessionRecorder {
 public:
  // More than a source read (256 KiB) so that the chunk holding the first valid line fits.
  static constexpr std::size_t k_max_prefix = std::size_t{1} << 20;

  // Opens a new file for writing and returns its descriptor, or -1 with errno set. Tests pass
  // one that opens /dev/full to see a full disk.
  using OpenFile = std::function<int(const std::string& path)>;

  // Makes `directory` (and its parents) if missing and checks that files can be made in it.
  // std::nullopt, or the message ("cannot create directory x: File exists").
  [[nodiscard]] static std::optional<std::string> prepare(const std::string& directory);

  explicit SessionRecorder(std::string directory, OpenFile open_file = {});
  ~SessionRecorder();
  SessionRecorder(const SessionRecorder&) = delete;
  SessionRecorder& operator=(const SessionRecorder&) = delete;

  // Bytes as received from a source connection.
  [[nodiscard]] std::optional<std::string> append(ConnectionId source, std::string_view bytes);
  // The connection's session began: its file is created and everything so far written.
  [[nodiscard]] std::optional<std::string> begin(ConnectionId source, std::uint64_t session,
                                                 std::chrono::system_clock::time_point started);
  // The session's input ended: the file is closed; more bytes from this connection are not
  // recorded.
  [[nodiscard]] std::optional<std::string> end(ConnectionId source);
  // The connection closed (or was closed): its file, if any, is closed and its prefix dropped.
  [[nodiscard]] std::optional<std::string> closed(ConnectionId source);
  // The path of the connection's file ("" before begin()), for the log.
  std::string path(ConnectionId source) const;
  // Closes every file (shutdown).
  void end_all();

 private:
  struct Stream {
    std::string prefix;             // before begin()
    std::uint64_t prefix_lost = 0;  // bytes dropped from the prefix's front
    std::string path;
    int fd = -1;
    bool begun = false;
  };

  std::optional<std::string> write(Stream& stream, std::string_view bytes);

  std::string m_directory;
  OpenFile m_open_file;
  std::map<ConnectionId, Stream> m_streams;
};

}  // namespace likematch::io
