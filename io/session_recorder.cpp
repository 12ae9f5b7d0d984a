#include "io/session_recorder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "io/file_write.hpp"

namespace likematch::io {

namespace {

int create_new(const std::string& path) {
  // O_EXCL: never overwrite, not even an earlier server's recording of the same name.
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

std::string file_name(std::uint64_t session, std::chrono::system_clock::time_point started) {
  const auto since_epoch = started.time_since_epoch();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
  const std::time_t time =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::time_point(seconds));
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  return fmt::format("{:%Y%m%dT%H%M%S}.{:03}Z-session-{}.events", utc, millis.count(), session);
}

}  // namespace

std::optional<std::string> SessionRecorder::prepare(const std::string& directory) {
  std::error_code error;
  if (std::filesystem::exists(directory, error) &&
      !std::filesystem::is_directory(directory, error)) {
    return fmt::format("{} is not a directory", directory);
  }
  std::filesystem::create_directories(directory, error);
  if (error) {
    return fmt::format("cannot create directory {}: {}", directory, error.message());
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    return fmt::format("cannot create files in {}: {}", directory, std::strerror(errno));
  }
  return std::nullopt;
}

SessionRecorder::SessionRecorder(std::string directory, OpenFile open_file)
    : m_directory(std::move(directory)),
      m_open_file(open_file ? std::move(open_file) : OpenFile(create_new)) {}

SessionRecorder::~SessionRecorder() {
  end_all();
}

std::optional<std::string> SessionRecorder::append(ConnectionId source, std::string_view bytes) {
  Stream& stream = m_streams[source];
  if (stream.begun) {
    return stream.fd >= 0 ? write(stream, bytes) : std::nullopt;
  }
  if (bytes.size() >= k_max_prefix) {
    stream.prefix_lost += stream.prefix.size() + bytes.size() - k_max_prefix;
    stream.prefix.assign(bytes.substr(bytes.size() - k_max_prefix));
    return std::nullopt;
  }
  if (stream.prefix.size() + bytes.size() > k_max_prefix) {
    const std::size_t drop = stream.prefix.size() + bytes.size() - k_max_prefix;
    stream.prefix.erase(0, drop);
    stream.prefix_lost += drop;
  }
  stream.prefix.append(bytes);
  return std::nullopt;
}

std::optional<std::string> SessionRecorder::begin(ConnectionId source, std::uint64_t session,
                                                  std::chrono::system_clock::time_point started) {
  Stream& stream = m_streams[source];
  stream.begun = true;
  stream.path = (std::filesystem::path(m_directory) / file_name(session, started)).string();
  stream.fd = m_open_file(stream.path);
  const std::string prefix = std::exchange(stream.prefix, {});
  if (stream.fd < 0) {
    return fmt::format("session {} is not recorded: cannot create {}: {}", session, stream.path,
                       std::strerror(errno));
  }
  std::optional<std::string> error = write(stream, prefix);
  if (!error && stream.prefix_lost != 0) {
    error = fmt::format("{}: the first {} bytes before the session's first line are not recorded",
                        stream.path, stream.prefix_lost);
  }
  return error;
}

std::optional<std::string> SessionRecorder::write(Stream& stream, std::string_view bytes) {
  if (const std::error_code why = write_all(stream.fd, bytes)) {
    ::close(stream.fd);
    stream.fd = -1;
    return fmt::format("recording {} stopped: cannot write: {}", stream.path, why.message());
  }
  return std::nullopt;
}

std::optional<std::string> SessionRecorder::end(ConnectionId source) {
  const auto it = m_streams.find(source);
  if (it == m_streams.end() || it->second.fd < 0) {
    return std::nullopt;
  }
  Stream& stream = it->second;
  const int fd = std::exchange(stream.fd, -1);
  if (::close(fd) != 0) {
    return fmt::format("recording {}: cannot write: {}", stream.path, std::strerror(errno));
  }
  return std::nullopt;
}

std::optional<std::string> SessionRecorder::closed(ConnectionId source) {
  std::optional<std::string> error = end(source);
  m_streams.erase(source);
  return error;
}

bool SessionRecorder::recording(ConnectionId source) const {
  const auto it = m_streams.find(source);
  return it != m_streams.end() && it->second.begun;
}

std::string SessionRecorder::path(ConnectionId source) const {
  const auto it = m_streams.find(source);
  return it == m_streams.end() ? std::string() : it->second.path;
}

void SessionRecorder::end_all() {
  for (auto& [id, stream] : m_streams) {
    if (stream.fd >= 0) {
      ::close(stream.fd);
    }
  }
  m_streams.clear();
}

}  // namespace likematch::io
