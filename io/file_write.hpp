#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace likematch::io {

// Writes all of `bytes` to the descriptor, through short writes and interrupted calls.
// std::nullopt, or the system's words for why not ("No space left on device"): the caller
// names the file.
[[nodiscard]] std::optional<std::string> write_all(int fd, std::string_view bytes);

}  // namespace likematch::io
