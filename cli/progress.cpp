#include "cli/progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <utility>

namespace likematch::cli {

PhaseNote::PhaseNote(const Output& output, std::string what, std::chrono::milliseconds after)
    : m_err(output.err), m_what(std::move(what)), m_started(std::chrono::steady_clock::now()) {
  if (::isatty(::fileno(m_err)) != 1) {
    return;
  }
  m_waiter = std::thread([this, after] {
    std::unique_lock lock(m_mutex);
    if (m_ended.wait_for(lock, after, [this] { return m_done; })) {
      return;
    }
    m_shown = true;
    fmt::print(m_err, "likematch: {}...", m_what);
    std::fflush(m_err);
  });
}

PhaseNote::~PhaseNote() {
  if (!m_waiter.joinable()) {
    return;
  }
  {
    const std::lock_guard lock(m_mutex);
    m_done = true;
  }
  m_ended.notify_one();
  m_waiter.join();
  if (m_shown) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - m_started;
    fmt::print(m_err, " {:.1f} s\n", took.count());
    std::fflush(m_err);
  }
}

namespace {

// The terminal's one status line: what it says and where, if it is shown. A process draws at
// most one progress line at a time (one long phase at a time).
struct StatusLine {
  std::mutex mutex;
  std::FILE* file = nullptr;  // where it is drawn; null: none is
  std::string text;
};

StatusLine& status_line() {
  static StatusLine line;
  return line;
}

// "\r" back to the line's start, then the text, then erase whatever an older, longer text left.
void draw(std::FILE* file, const std::string& text) {
  fmt::print(file, "\rlikematch: {}\x1b[K", text);
  std::fflush(file);
}

void erase(std::FILE* file) {
  std::fputs("\r\x1b[K", file);
  std::fflush(file);
}

}  // namespace

ProgressLine::ProgressLine(const Output& output, std::function<std::string()> status,
                           std::chrono::milliseconds after, std::chrono::milliseconds period)
    : m_err(output.err), m_status(std::move(status)) {
  if (::isatty(::fileno(m_err)) != 1) {
    return;
  }
  m_drawer = std::thread([this, after, period] {
    std::unique_lock lock(m_mutex);
    std::chrono::milliseconds wait = after;
    while (!m_ended.wait_for(lock, wait, [this] { return m_done; })) {
      wait = period;
      std::string text = m_status();
      StatusLine& line = status_line();
      const std::lock_guard shown(line.mutex);
      if (line.file == m_err && line.text == text) {
        continue;
      }
      line.file = m_err;
      line.text = std::move(text);
      draw(m_err, line.text);
    }
  });
}

ProgressLine::~ProgressLine() {
  if (!m_drawer.joinable()) {
    return;
  }
  {
    const std::lock_guard lock(m_mutex);
    m_done = true;
  }
  m_ended.notify_one();
  m_drawer.join();
  StatusLine& line = status_line();
  const std::lock_guard shown(line.mutex);
  if (line.file == m_err) {
    erase(m_err);
    line.file = nullptr;
    line.text.clear();
  }
}

void with_status_line_erased(std::FILE* file, const std::function<void()>& write) {
  StatusLine& line = status_line();
  const std::lock_guard shown(line.mutex);
  const bool drawn = line.file == file;
  if (drawn) {
    erase(file);
  }
  write();
  if (drawn) {
    draw(file, line.text);
  }
}

}  // namespace likematch::cli
