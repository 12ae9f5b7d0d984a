#pragma once

#include <cstdio>
#include <string_view>
#include <system_error>

#include "cli/output.hpp"

namespace likematch::cli {

// Standard output of a filter (replay, generate): bytes go out whole, through the file's
// descriptor, and the first failure stops every later write. A reader that left (`| head`:
// EPIPE) has all it wanted, as for any filter: that is no failure. The one place this rule is.
class OutputWriter {
 public:
  explicit OutputWriter(const Output& output) : m_output(output) {}

  // False once a write has failed (this one or an earlier one).
  bool write(std::string_view bytes);
  bool failed() const { return static_cast<bool>(m_error); }
  // 0 when everything was written or the reader left; else "likematch: cannot write standard
  // output: REASON" on standard error, and 1.
  int status() const;

 private:
  Output m_output;
  std::error_code m_error;
};

}  // namespace likematch::cli
