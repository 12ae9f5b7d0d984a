#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace likematch::test {

// Keeps a logger's lines so that a test can wait, boundedly, for one. SERVE_TEST_LOG=1 also
// prints them, to see what a failing test's server said.
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  bool contains(std::string_view part) {
    std::lock_guard lock(mutex_);
    for (const std::string& line : m_lines) {
      if (line.find(part) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return m_lines;
  }

  std::string text() {
    std::lock_guard lock(mutex_);
    std::string all;
    for (const std::string& line : m_lines) {
      all += line + "\n";
    }
    return all;
  }

  bool wait_for(std::string_view part,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!contains(part)) {
      if (std::chrono::steady_clock::now() > deadline) {
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    m_lines.emplace_back(message.payload.data(), message.payload.size());
    if (std::getenv("SERVE_TEST_LOG") != nullptr) {
      std::fprintf(stderr, "serve: %s\n", m_lines.back().c_str());
    }
  }
  void flush_() override {}

 private:
  std::vector<std::string> m_lines;
};

}  // namespace likematch::test
