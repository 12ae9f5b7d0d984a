#include "io/stream_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include <fmt/format.h>

namespace likematch::io {

void StreamReader::FreeDeleter::operator()(char* p) const {
  std::free(p);
}

StreamReader::StreamReader(std::size_t buffer_size)
    : m_size(buffer_size), m_buffer(static_cast<char*>(std::aligned_alloc(64, buffer_size))) {
  if (!m_buffer) {
    throw std::bad_alloc();
  }
}

std::optional<std::string> StreamReader::read(
    const std::string& path, const std::function<bool(std::string_view)>& on_bytes) {
  if (path == "-") {
    return read_fd(STDIN_FILENO, on_bytes);
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::optional<std::string> error = read_fd(fd, on_bytes);
  ::close(fd);
  if (error) {
    return fmt::format("{}: {}", path, *error);
  }
  return std::nullopt;
}

std::optional<std::string> StreamReader::read_fd(
    int fd, const std::function<bool(std::string_view)>& on_bytes) {
  while (true) {
    const ssize_t got = ::read(fd, m_buffer.get(), m_size);
    if (got > 0) {
      if (!on_bytes(std::string_view(m_buffer.get(), static_cast<std::size_t>(got)))) {
        return {};
      }
      continue;
    }
    if (got == 0) {
      return std::nullopt;
    }
    if (errno == EINTR) {
      continue;
    }
    return fmt::format("read failed: {}", std::strerror(errno));
  }
}

}  // namespace likematch::io
