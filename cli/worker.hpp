#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/cluster_options.hpp"
#include "cli/logging.hpp"
#include "cli/output.hpp"

namespace CLI {
class App;
}

namespace likematch::cli {

struct WorkerOptions {
  ClusterOptions cluster;
  std::string partition = "all";  // K, K,L,... or all
  std::string state_dir;
  // What the partitions' state may hold in memory, in bytes (0: everything); the rest of it
  // is read from RocksDB when needed.
  std::uint64_t memory_budget = 0;
  std::chrono::milliseconds connect_timeout{60'000};
  LogOptions log;
};

void setup_worker(CLI::App& app, WorkerOptions& options);
// Runs until SIGINT or SIGTERM (0), or a failure (1): the cluster unreachable, serve on
// another number of partitions, a state that cannot be written.
int run_worker(const WorkerOptions& options, const Output& output = {});

}  // namespace likematch::cli
