#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/output.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

// What a command said: by a process (run_process) or by its run_NAME in this one.
struct ProcessResult {
  int status = -1;  // the exit status, or -1 if the process did not exit normally
  std::string out;
  std::string err;
};

// Two anonymous temporary files standing in for stdout and stderr of a run_* call.
class CapturedOutput {
 public:
  CapturedOutput() : m_out(output_tmpfile()), m_err(output_tmpfile()) {}
  ~CapturedOutput() {
    std::fclose(m_out);
    std::fclose(m_err);
  }
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;

  cli::Output output() const { return cli::Output{m_out, m_err}; }
  std::string out() const { return read_file(m_out); }
  std::string err() const { return read_file(m_err); }

 private:
  std::FILE* m_out;
  std::FILE* m_err;
};

// Runs a command's run_NAME (run_replay, run_generate, ...) in this process.
template <class Options>
ProcessResult run_in_process(int (*run)(const Options&, const cli::Output&),
                             const Options& options) {
  CapturedOutput captured;
  const int status = run(options, captured.output());
  return {status, captured.out(), captured.err()};
}

}  // namespace likematch::test
