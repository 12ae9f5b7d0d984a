#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cli/output.hpp"
#include "core/engine/warning.hpp"

namespace likematch::cli {

// The one message style (CONTRIBUTING.md): likematch's own messages (errors, the --stats line)
// are "likematch: MESSAGE" on standard error, lower case, no final period; a warning about
// the input is "FILE:LINE: MESSAGE".

// Writes "likematch: TEXT\n" to output.err. Never throws: standard error may be closed or
// full, and what it cannot take is lost, nothing else.
void print_message(const Output& output, std::string_view text);

// "1 match", "2 matches": every count in a message goes through here.
std::string plural(std::uint64_t count, std::string_view one, std::string_view many);

// How an input is named in messages: "standard input" for "-", else the path.
std::string input_name(std::string_view path);

// A warning's words: "duplicate of sequence number 3, ignored"; under --strict, where the
// input stops at the first warning, "error: duplicate of sequence number 3".
std::string warning_text(const Warning& warning, bool strict = false);

}  // namespace likematch::cli
