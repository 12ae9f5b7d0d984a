#include "cli/output_writer.hpp"

#include <fmt/format.h>

#include <cerrno>

#include "cli/exit_status.hpp"
#include "cli/messages.hpp"
#include "io/file_write.hpp"

namespace likematch::cli {

bool OutputWriter::write(std::string_view bytes) {
  if (m_error) {
    return false;
  }
  // Whatever stdio holds goes first, so that the bytes keep their order.
  if (std::fflush(m_output.out) != 0) {
    m_error = std::error_code(errno != 0 ? errno : EIO, std::system_category());
    return false;
  }
  m_error = io::write_all(::fileno(m_output.out), bytes);
  return !m_error;
}

int OutputWriter::status() const {
  if (!m_error || m_error == std::errc::broken_pipe) {
    return k_exit_ok;
  }
  print_message(m_output, fmt::format("cannot write standard output: {}", m_error.message()));
  return k_exit_failure;
}

}  // namespace likematch::cli
