#include "io/append_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace likematch::io {

std::string append_to_file(const std::string& path, std::string_view text) {
  // O_APPEND: each record lands whole at the end even if another process appends too.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  }
  std::string error;
  while (!text.empty()) {
    const ssize_t written = ::write(fd, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
      break;
    }
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::close(fd) != 0 && error.empty()) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
  }
  return error;
}

}  // namespace likematch::io
