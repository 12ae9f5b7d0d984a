#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/output.hpp"

namespace likematch::testing {

// Two anonymous temporary files standing in for stdout and stderr of a run_* call.
class CapturedOutput {
 public:
  CapturedOutput() : m_out(std::tmpfile()), m_err(std::tmpfile()) {
    if (m_out == nullptr || m_err == nullptr) {
      throw std::runtime_error("tmpfile() failed");
    }
  }
  ~CapturedOutput() {
    std::fclose(m_out);
    std::fclose(m_err);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  cli::Output output() const { return cli::Output{m_out, m_err}; }
  std::string out() const { return read_all(m_out); }
  std::string err() const { return read_all(m_err); }

 private:
  static std::string read_all(std::FILE* file) {
    std::fflush(file);
    std::rewind(file);
    std::string text;
    char buffer[4096];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
      text.append(buffer, got);
    }
    return text;
  }

  std::FILE* m_out;
  std::FILE* m_err;
};

}  // namespace likematch::testing
