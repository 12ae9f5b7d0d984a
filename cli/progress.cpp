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
    fmt::print(m_err, " done, {:.1f} s\n", took.count());
    std::fflush(m_err);
  }
}

}  // namespace likematch::cli
