#include "io/append_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "io/file_write.hpp"

namespace likematch::io {

namespace {

int open_for_append(const std::string& path) {
  // O_APPEND: each record lands whole at the end even if another process appends too.
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

}  // namespace

std::optional<std::string> check_append(const std::string& path) {
  const int fd = open_for_append(path);
  if (fd < 0) {
    return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  }
  ::close(fd);
  return std::nullopt;
}

std::optional<std::string> append_to_file(const std::string& path, std::string_view text) {
  const int fd = open_for_append(path);
  if (fd < 0) {
    return fmt::format("cannot open {}: {}", path, std::strerror(errno));
  }
  std::optional<std::string> error;
  if (const std::error_code why = write_all(fd, text)) {
    error = fmt::format("cannot write {}: {}", path, why.message());
  }
  if (::close(fd) != 0 && !error) {
    error = fmt::format("cannot write {}: {}", path, std::strerror(errno));
  }
  return error;
}

}  // namespace likematch::io
