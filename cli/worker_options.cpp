// worker's options and help, in both executables (cli/cluster_exec.hpp): likematch shows them,
// likematch-cluster runs the worker (cli/worker.cpp).
#include <CLI/CLI.hpp>

#include <cstdint>

#include "cli/option_values.hpp"
#include "cli/worker.hpp"

namespace likematch::cli {

namespace {

// --memory-budget: at least room for RocksDB's smallest memtables; at most 1 TiB.
constexpr std::uint64_t k_min_memory_budget = std::uint64_t{1} << 20;
constexpr std::uint64_t k_max_memory_budget = std::uint64_t{1} << 40;

}  // namespace

void setup_worker(CLI::App& app, WorkerOptions& options) {
  app.description(
      "Decide the matches of some partitions for serve --jetstream: read their events from the "
      "NATS JetStream cluster, keep their state in RocksDB under --state-dir, publish what "
      "they decide. A worker restarted on the same --state-dir goes on where it stopped.");
  app.footer(
      "Examples:\n"
      "  likematch worker --jetstream nats://127.0.0.1:4222 --partitions 2 \\\n"
      "      --partition 0 --state-dir /var/lib/likematch");
  add_cluster_options(app, options.cluster, /*worker=*/true);
  app.add_option("--partition", options.partition,
                 "The partitions this worker decides: K, K,L,... or all")
      ->check(non_empty())
      ->type_name("K|K,L|all")
      ->capture_default_str();
  app.add_option("--state-dir", options.state_dir,
                 "Where each partition's state lives (DIR/partition-K-of-P, RocksDB; required)")
      ->check(non_empty())
      ->type_name("DIR");
  add_bytes(app, "--memory-budget", options.memory_budget, k_min_memory_budget, k_max_memory_budget,
            "Bound the memory of the partitions' state (64MiB, 1G, ...); the rest of it stays "
            "in RocksDB on disk. Unset: it is all held in memory");
  add_duration(app, "--connect-timeout", options.connect_timeout, DurationUnit::seconds,
               /*positive=*/false, "Keep trying this long to reach the cluster at start");
  add_log_options(app, options.log);
}

}  // namespace likematch::cli
