// io::JetStream against a real 3-node cluster (scripts/jetstream.sh): what libnats' own threads
// do around our callbacks when the connection is lost or closed. ctest label `cluster`.
#include "io/jetstream.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "tests/support/jetstream_cluster.hpp"

namespace likematch::io {
namespace {

using namespace std::chrono_literals;
using test::JetStreamCluster;

std::unique_ptr<JetStream> connect(JetStreamOptions options) {
  auto connected = JetStream::connect(options);
  if (auto* error = std::get_if<std::string>(&connected)) {
    FAIL(*error);
  }
  return std::move(std::get<std::unique_ptr<JetStream>>(connected));
}

// Waits up to `timeout` for `done()`.
template <typename Done>
bool eventually(Done done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST_CASE("a JetStream destroyed while a handler runs waits for it to return", "[cluster]") {
  JetStreamCluster cluster;
  JetStreamOptions options;
  options.urls = split_urls(cluster.urls());
  options.replicas = 1;
  auto js = connect(options);
  REQUIRE_FALSE(js->ensure_stream("SLOW", "slow"));
  std::atomic<bool> entered = false;
  std::atomic<bool> returned = false;
  REQUIRE_FALSE(js->subscribe_ordered("SLOW", "slow", 1, [&](std::string_view, std::uint64_t) {
    entered = true;
    std::this_thread::sleep_for(1s);
    returned = true;
  }));
  REQUIRE_FALSE(js->publish("slow", "x", 10s));
  REQUIRE(eventually([&] { return entered.load(); }, 30s));
  // Freed while the handler ran, its closure (and what it captured) would be used after free.
  js.reset();
  CHECK(returned);
}

TEST_CASE(
    "the whole cluster lost: the client says so, a publish gives up after the unreachable "
    "limit naming the URLs, and the client says when it is back",
    "[cluster]") {
  JetStreamCluster cluster;
  JetStreamOptions options;
  options.urls = split_urls(cluster.urls());
  options.replicas = 1;
  options.unreachable_limit = 1s;
  std::mutex mutex;
  std::vector<ConnectionChange> changes;
  options.on_connection = [&](ConnectionChange change) {
    const std::lock_guard lock(mutex);
    changes.push_back(change);
  };
  // The last change told (the client may reach a server about to be killed in between).
  const auto last = [&]() -> std::optional<ConnectionChange> {
    const std::lock_guard lock(mutex);
    return changes.empty() ? std::nullopt : std::optional(changes.back());
  };
  auto js = connect(options);
  REQUIRE_FALSE(js->ensure_stream("LOST", "lost"));
  for (int node = 0; node < 3; ++node) {
    cluster.kill_node(node);
  }
  CHECK(eventually([&] { return last() == ConnectionChange::lost; }, 30s));
  const auto began = std::chrono::steady_clock::now();
  const std::optional<std::string> error = js->publish("lost", "x", 120s);
  CHECK(std::chrono::steady_clock::now() - began < 60s);  // not the patience: the limit
  CHECK(error == "the NATS cluster at " + cluster.urls() + " has been unreachable for 1 s");
  cluster.start_node(1);
  CHECK(eventually([&] { return last() == ConnectionChange::back; }, 60s));
}

}  // namespace
}  // namespace likematch::io
