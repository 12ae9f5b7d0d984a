#include "cli/cluster_options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>

#include "cli/option_values.hpp"

namespace likematch::cli {

void add_cluster_options(CLI::App& app, ClusterOptions& options, bool worker) {
  app.add_option("--jetstream", options.jetstream,
                 worker ? "The NATS JetStream cluster, as URLs comma-separated (required)"
                        : "Let workers on this NATS JetStream cluster decide the matches "
                          "(URLs comma-separated; see likematch worker)")
      ->check(non_empty())
      ->type_name("URL[,URL...]");
  add_number<std::uint32_t>(app, "--partitions", options.partitions, 1,
                            "With --jetstream: partitions the pairs are split into (serve and "
                            "every worker must agree)",
                            1024)
      ->type_name("P");
  // JetStream takes 1 to 5; the server's refusal names the limit.
  add_number<std::uint32_t>(app, "--replicas", options.replicas, 1,
                            "With --jetstream: replicas of each stream created (at most the "
                            "cluster's servers)");
  if (!worker) {
    // NATS refuses a message above its max_payload, 1 MiB by default: 40,000 events of 25 bytes.
    add_number<std::uint32_t>(app, "--batch-events", options.batch_events, 1,
                              "With --jetstream: events per message at most", 40'000);
    add_duration(app, "--worker-silence", options.worker_silence, DurationUnit::seconds,
                 /*positive=*/true,
                 "With --jetstream: warn when a partition owes an answer this long (no worker "
                 "runs for it, or it is stuck)");
  }
}

std::string input_stream(std::uint32_t partition) {
  return fmt::format("LIKEMATCH_IN_{}", partition);
}
std::string input_subject(std::uint32_t partition) {
  return fmt::format("likematch.in.{}", partition);
}
std::string output_stream(std::uint32_t partition) {
  return fmt::format("LIKEMATCH_OUT_{}", partition);
}
std::string output_subject(std::uint32_t partition) {
  return fmt::format("likematch.out.{}", partition);
}

std::optional<std::string> parse_partition_list(const std::string& text, std::uint32_t partitions,
                                                std::vector<std::uint32_t>& out) {
  out.clear();
  if (text == "all") {
    for (std::uint32_t k = 0; k < partitions; ++k) {
      out.push_back(k);
    }
    return std::nullopt;
  }
  std::string_view rest = text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view part = rest.substr(0, comma);
    std::uint64_t value = 0;
    if (const auto error = parse_number(part, 0, partitions - 1ULL, value)) {
      return fmt::format("--partition {}: {} (the partitions are 0 to {}, or all)", text, *error,
                         partitions - 1);
    }
    if (std::find(out.begin(), out.end(), value) == out.end()) {
      out.push_back(static_cast<std::uint32_t>(value));
    }
    if (comma == std::string_view::npos) {
      return std::nullopt;
    }
    rest = rest.substr(comma + 1);
  }
}

}  // namespace likematch::cli
