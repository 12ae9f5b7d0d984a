#pragma once

// `likematch serve` in a thread for tests: the ServeInstance of cli/serve.cpp on free loopback
// ports, its log kept in memory so that a test can wait for a line.

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/serve.hpp"
#include "tests/support/capture_sink.hpp"
#include "tests/support/files.hpp"
#include "tests/support/loopback.hpp"

namespace likematch::test {

using cli::ServeInstance;
using cli::ServeOptions;

// A server on free loopback ports, run in its own thread and stopped at the end of the test.
class RunningServe {
 public:
  explicit RunningServe(ServeOptions options = listen_options())
      : m_sink(std::make_shared<CaptureSink>()),
        m_logger(std::make_shared<spdlog::logger>("serve-test", m_sink)),
        m_out(std::tmpfile()) {
    m_logger->set_level(spdlog::level::debug);
    m_instance = std::make_unique<ServeInstance>(options, m_logger, cli::Output{m_out, m_out});
    m_thread = std::thread([this] {
      m_status = m_instance->run();
      m_done = true;
    });
  }

  ~RunningServe() {
    stop();
    std::fclose(m_out);
  }

  static ServeOptions listen_options() {
    ServeOptions options;
    options.server.source_port = 0;
    options.server.listener_port = 0;
    return options;
  }

  // Stops the server and waits, boundedly, for its thread. Returns its exit status.
  int stop() {
    if (m_thread.joinable()) {
      m_instance->stop();
      join();
    }
    return m_status;
  }

  // Waits for run() to return by itself (--connect).
  int join() {
    const auto deadline = std::chrono::steady_clock::now() + k_wait;
    while (!m_done) {
      if (std::chrono::steady_clock::now() > deadline) {
        // A server that does not stop would hang the whole suite.
        std::fputs("serve test: the server did not stop in time\n", stderr);
        std::abort();
      }
      std::this_thread::sleep_for(2ms);
    }
    m_thread.join();
    return m_status;
  }

  std::string output() { return read_file(m_out); }

  std::uint16_t source_port() const { return m_instance->source_port(); }
  std::uint16_t listener_port() const { return m_instance->listener_port(); }
  Peer source() { return Peer::connect(m_instance->source_port()); }
  Peer listener() { return Peer::connect(m_instance->listener_port()); }
  CaptureSink& log() { return *m_sink; }

 private:
  std::shared_ptr<CaptureSink> m_sink;
  std::shared_ptr<spdlog::logger> m_logger;
  std::FILE* m_out;
  std::unique_ptr<ServeInstance> m_instance;
  std::thread m_thread;
  std::atomic<bool> m_done{false};
  int m_status = -1;
};

}  // namespace likematch::test
