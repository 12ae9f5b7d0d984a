#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "cli/output.hpp"

namespace likematch::cli {

// A phase that may be long ("generating 3000000 events"), said on standard error when it is a
// terminal and the phase outlasts `after`: "likematch: generating 3000000 events..." then
// " done, 4.6 s" when it ends. Nothing at all for a short phase or when standard error is a
// file or a pipe (a log, a script): there the logs say what happened.
class PhaseNote {
 public:
  static constexpr std::chrono::milliseconds k_after{1000};

  PhaseNote(const Output& output, std::string what, std::chrono::milliseconds after = k_after);
  ~PhaseNote();
  PhaseNote(const PhaseNote&) = delete;
  PhaseNote& operator=(const PhaseNote&) = delete;

 private:
  std::FILE* m_err;
  std::string m_what;
  std::chrono::steady_clock::time_point m_started;
  std::mutex m_mutex;
  std::condition_variable m_ended;
  bool m_done = false;
  bool m_shown = false;
  std::thread m_waiter;
};

}  // namespace likematch::cli
