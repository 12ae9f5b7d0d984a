// The cluster's two entry points in `likematch`, which links neither libnats nor RocksDB
// (cli/cluster_exec.hpp): it hands worker and serve --jetstream over to likematch-cluster
// before anything runs, so neither is reached there; were one reached, it says why it cannot
// serve instead of failing to link.
#include <spdlog/spdlog.h>

#include "cli/exit_status.hpp"
#include "cli/logging.hpp"
#include "cli/remote_cluster.hpp"
#include "cli/worker.hpp"

namespace likematch::cli {

namespace {

const std::string k_absent =
    "this build of likematch has no cluster support (libnats, RocksDB): likematch-cluster has";

class AbsentCluster final : public RemoteCluster {
 public:
  std::optional<std::string> start(std::chrono::milliseconds /*connect_timeout*/) override {
    return "--jetstream: " + k_absent;
  }
  void attach(SessionHub& /*hub*/) override {}
  const std::string& failure() const override { return k_absent; }
  void stop() override {}
  void begin(std::uint64_t /*session*/, const MatchRules& /*rules*/) override {}
  void event(const Event& /*event*/) override {}
  void watermark(std::uint64_t /*watermark*/, bool /*input_ended*/) override {}
};

}  // namespace

std::unique_ptr<RemoteCluster> make_remote_cluster(const ClusterOptions& /*options*/,
                                                   asio::io_context& /*io*/,
                                                   spdlog::logger& /*logger*/) {
  return std::make_unique<AbsentCluster>();
}

int run_worker(const WorkerOptions& options, const Output& output) {
  make_logger(options.log, output)->error("worker: {}", k_absent);
  return k_exit_failure;
}

}  // namespace likematch::cli
