#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace likematch::io {

// Appends `text` to the file at `path` (created if absent) and closes it, so that every
// record is on disk when the call returns. std::nullopt, or the message ("cannot write
// x.jsonl: No space left on device").
[[nodiscard]] std::optional<std::string> append_to_file(const std::string& path,
                                                        std::string_view text);

// Whether append_to_file can open `path`: opens it for appending (creating it if absent) and
// closes it, writing nothing. std::nullopt, or the message ("cannot open x: Is a directory").
// A device that is full (/dev/full) opens fine: that is only found by the first write.
[[nodiscard]] std::optional<std::string> check_append(const std::string& path);

}  // namespace likematch::io
