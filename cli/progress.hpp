#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cli/output.hpp"

namespace likematch::cli {

// A phase that may be long ("generating 3000000 events"), said on standard error when it is a
// terminal and the phase outlasts `after`: "likematch: generating 3000000 events..." then
// " 4.6 s" when it ends (however it ended: what follows says how). Nothing at all for a short phase
// or when standard error is a file or a pipe (a log, a script): there the logs say what happened.
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

// How a long phase goes, on one line of a terminal redrawn in place ("likematch: session
// running: 40213 of 71012 numbers received"): drawn once the phase outlasts `after`, then every
// `period` while `status` says something new, and erased when the phase ends, so that what
// follows starts on a clean line. Nothing at all when standard error is not a terminal.
// `status` is called from the drawing thread: it must read only what is safe there (atomics).
// Log lines written meanwhile to the same terminal (make_logger's sinks) erase the line first
// and draw it again after (with_status_line_erased), so that no line is cut in two.
class ProgressLine {
 public:
  static constexpr std::chrono::milliseconds k_period{250};

  ProgressLine(const Output& output, std::function<std::string()> status,
               std::chrono::milliseconds after = PhaseNote::k_after,
               std::chrono::milliseconds period = k_period);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

 private:
  std::FILE* m_err;
  std::function<std::string()> m_status;
  std::mutex m_mutex;
  std::condition_variable m_ended;
  bool m_done = false;
  std::thread m_drawer;
};

// Runs `write` (which writes whole lines to `file`) with the progress line shown on `file`, if
// any, erased before and drawn again after; the two never interleave.
void with_status_line_erased(std::FILE* file, const std::function<void()>& write);

}  // namespace likematch::cli
