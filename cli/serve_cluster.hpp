#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "cli/cluster_options.hpp"
#include "cli/remote_cluster.hpp"
#include "core/cluster/decided_merge.hpp"
#include "core/cluster/event_router.hpp"
#include "core/session/session_hub.hpp"

namespace spdlog {
class logger;
}

namespace likematch::io {
class JetStream;
enum class ConnectionChange;
}  // namespace likematch::io

namespace likematch::cli {

// serve --jetstream (docs/scaling.md): the hub's events go to the partitions' input streams,
// batched, each partition's batches ending with the watermark; the partitions' decided
// batches come back on serve's io_context and go to the hub, merged up to the lowest decided
// watermark. A cluster unreachable for the connect timeout fails the session
// (SessionHub::remote_failed) and every session that begins before it is back.
class ClusterBridge final : public RemoteCluster {
 public:
  ClusterBridge(const ClusterOptions& options, asio::io_context& io, spdlog::logger& logger);
  ~ClusterBridge() override;

  std::optional<std::string> start(std::chrono::milliseconds connect_timeout) override;
  void attach(SessionHub& hub) override { m_hub = &hub; }
  const std::string& failure() const override { return m_failure; }
  void stop() override;

  void begin(std::uint64_t session, const MatchRules& rules) override;
  void event(const Event& event) override;
  void watermark(std::uint64_t watermark, bool input_ended) override;

 private:
  void publish_failed(const std::string& why);
  void on_output(const std::string& bytes);
  void deliver(std::vector<std::uint64_t> numbers);
  void check_workers();
  void on_connection(io::ConnectionChange change);
  void cluster_lost();
  void fail_session(std::string why);

  ClusterOptions m_options;
  asio::io_context& m_io;
  spdlog::logger& m_logger;
  std::unique_ptr<io::JetStream> m_js;
  SessionHub* m_hub = nullptr;
  std::uint64_t m_run;
  std::uint64_t m_session = 0;
  EventRouter m_router;
  DecidedMerge m_merge;
  bool m_complete = true;
  bool m_failed = false;  // a publish failed: the session cannot complete
  bool m_stopped = false;
  std::uint64_t m_published = 0;  // the watermark published to every partition
  std::vector<std::chrono::steady_clock::time_point> m_heard;  // per partition
  std::vector<bool> m_warned;
  asio::steady_timer m_timer;
  // The cluster: unreachable since its connection was lost, for m_lost_after or more.
  std::chrono::milliseconds m_lost_after{0};
  bool m_unreachable = false;
  bool m_lost = false;
  std::string m_failure;
  asio::steady_timer m_lost_timer;
};

}  // namespace likematch::cli
