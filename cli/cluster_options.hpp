#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace likematch::cli {

// The options serve --jetstream and worker share: where the cluster is and how it is laid out.
struct ClusterOptions {
  std::string jetstream;         // the NATS URLs, comma-separated; empty: no cluster
  std::uint32_t partitions = 1;  // P: the pairs are split by hash into this many partitions
  std::uint32_t replicas = 3;    // of every stream created
  // serve: a partition that owes an answer this long without one is warned about.
  std::chrono::milliseconds worker_silence{10'000};
  // serve: events per message at most (--batch-events).
  std::uint32_t batch_events = 1000;
};

// --jetstream, --partitions, --replicas; serve (not `worker`) also --worker-silence.
void add_cluster_options(CLI::App& app, ClusterOptions& options, bool worker);

// The streams and subjects of partition K (one place for the names every process must agree
// on): serve publishes to the input, the partition's worker to the output.
std::string input_stream(std::uint32_t partition);
std::string input_subject(std::uint32_t partition);
std::string output_stream(std::uint32_t partition);
std::string output_subject(std::uint32_t partition);

// --partition's value, "K", "K,L,..." or "all", as the partitions named; or why not.
std::optional<std::string> parse_partition_list(const std::string& text, std::uint32_t partitions,
                                                std::vector<std::uint32_t>& out);

}  // namespace likematch::cli
