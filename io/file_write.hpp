#pragma once

#include <string_view>
#include <system_error>

namespace likematch::io {

// Writes all of `bytes` to the descriptor, through short writes and interrupted calls. No
// error, or the system's (its message() in the system's words, "No space left on device"):
// the caller names the file, and may tell a reader that left (EPIPE) from a failure.
[[nodiscard]] std::error_code write_all(int fd, std::string_view bytes);

}  // namespace likematch::io
