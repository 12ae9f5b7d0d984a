#pragma once

#include <string>
#include <string_view>

namespace likematch::cli {

// `text` as a JSON string literal, quotes included. Bytes that are not valid UTF-8 would make
// the line unreadable to a log shipper, so every byte >= 0x80 that is not part of a valid
// sequence becomes U+FFFD; control characters are escaped.
std::string json_quote(std::string_view text);

}  // namespace likematch::cli
