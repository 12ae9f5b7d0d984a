#pragma once

// A 3-node JetStream cluster for a test: scripts/jetstream.sh on free loopback ports, its
// store in a temporary directory, stopped (by PID) and wiped at the end.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>
#include <stdexcept>
#include <string>

#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {

class JetStreamCluster {
 public:
  JetStreamCluster() : m_base(free_base_port()) {
    const ProcessResult up = script({"up", dir(), std::to_string(m_base)});
    if (up.status != 0) {
      throw std::runtime_error("jetstream.sh up failed: " + up.err);
    }
    m_urls = up.out.substr(0, up.out.find_last_not_of('\n') + 1);
    m_urls = m_urls.substr(m_urls.find_last_of('\n') + 1);
  }
  ~JetStreamCluster() {
    try {
      script({"down", dir()});
    } catch (const std::exception&) {
      // A destructor must not throw: the servers were signalled by PID, their store is temporary.
    }
  }
  JetStreamCluster(const JetStreamCluster&) = delete;
  JetStreamCluster& operator=(const JetStreamCluster&) = delete;

  const std::string& urls() const { return m_urls; }
  std::string dir() const { return m_dir.path("cluster"); }
  // The node (0, 1 or 2) leading `stream`.
  int leader(const std::string& stream) const {
    const ProcessResult result = script({"leader", dir(), stream});
    return result.status == 0 ? std::stoi(result.out) : -1;
  }
  void kill_node(int node) const { script({"kill", dir(), std::to_string(node)}); }
  void start_node(int node) const { script({"start", dir(), std::to_string(node)}); }

 private:
  // Bounded: `up` gives up after 30 s and `down` after 5 s a node, so 2 minutes is a hang.
  static ProcessResult script(const std::vector<std::string>& args) {
    std::vector<std::string> all{LIKEMATCH_SOURCE_DIR "/scripts/jetstream.sh"};
    all.insert(all.end(), args.begin(), args.end());
    return run_process("/bin/bash", all, "", Stdout::file, Stderr::file, "",
                       std::chrono::minutes(2));
  }

  static bool port_free(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return bound;
  }

  // Nine free ports in a row: clients, routes, monitoring.
  static int free_base_port() {
    std::mt19937 random(std::random_device{}());
    for (int attempt = 0; attempt < 200; ++attempt) {
      const int base = 20000 + static_cast<int>(random() % 30000);
      bool all = true;
      for (int port = base; port < base + 9 && all; ++port) {
        all = port_free(port);
      }
      if (all) {
        return base;
      }
    }
    throw std::runtime_error("no nine free ports in a row");
  }

  TempDir m_dir;
  int m_base;
  std::string m_urls;
};

}  // namespace likematch::test
