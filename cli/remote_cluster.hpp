#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "cli/cluster_options.hpp"
#include "core/session/remote_decider.hpp"

namespace asio {
class io_context;
}

namespace spdlog {
class logger;
}

namespace likematch {
class SessionHub;
}

namespace likematch::cli {

// serve --jetstream's cluster as serve sees it: the hub's RemoteDecider, started, attached and
// stopped by serve. Its one implementation, ClusterBridge (cli/serve_cluster.hpp), lives in
// likematch-cluster only; likematch links no cluster library (cli/cluster_exec.hpp).
class RemoteCluster : public RemoteDecider {
 public:
  // Connects, creates the streams, starts reading the outputs; or says why not.
  virtual std::optional<std::string> start(std::chrono::milliseconds connect_timeout) = 0;
  virtual void attach(SessionHub& hub) = 0;
  // Why the hub was last told that a session failed, for the words of its HubEvent.
  virtual const std::string& failure() const = 0;
  // serve stops: no more outputs are read, no timer keeps the io_context running.
  virtual void stop() = 0;
};

// The cluster of serve --jetstream. In likematch, whose start() says that likematch-cluster
// runs it (likematch hands such a command line over before it gets here).
std::unique_ptr<RemoteCluster> make_remote_cluster(const ClusterOptions& options,
                                                   asio::io_context& io, spdlog::logger& logger);

}  // namespace likematch::cli
