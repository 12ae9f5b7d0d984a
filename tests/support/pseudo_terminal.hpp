#pragma once

// A terminal for tests of what is shown only on one: a pseudo-terminal whose writing end is a
// FILE* to hand as standard error, and whose other end reads back what was shown.

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace likematch::test {

class PseudoTerminal {
 public:
  PseudoTerminal() {
    int terminal = -1;
    if (::openpty(&m_screen, &terminal, nullptr, nullptr, nullptr) != 0) {
      throw std::runtime_error("openpty failed");
    }
    m_file = ::fdopen(terminal, "w");
    ::fcntl(m_screen, F_SETFL, O_NONBLOCK);
  }
  ~PseudoTerminal() {
    close_file();
    ::close(m_screen);
  }
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  std::FILE* file() const { return m_file; }

  // Closes the writing end, then returns all it showed.
  std::string shown() {
    close_file();
    std::string text;
    char buffer[512];
    for (ssize_t n; (n = ::read(m_screen, buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
  }

 private:
  void close_file() {
    if (m_file != nullptr) {
      std::fclose(m_file);
      m_file = nullptr;
    }
  }

  int m_screen = -1;
  std::FILE* m_file = nullptr;
};

}  // namespace likematch::test
