// serve --jetstream and worker against a real 3-node NATS JetStream cluster of Debian's
// nats-server (scripts/jetstream.sh on free loopback ports, wiped at the end): the emulated
// harness checks every number against the reference matcher, so MATCH END - OK means the
// list was exactly the embedded engine's. ctest label `cluster`; most variant coverage is
// in tests/core/cluster/ with an in-memory transport.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/background_process.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/jetstream_cluster.hpp"
#include "tests/support/loopback.hpp"

namespace likematch {
namespace {

using namespace std::chrono_literals;
using test::BackgroundProcess;
using test::JetStreamCluster;
using test::TempDir;

// A free TCP port on loopback for serve's two ports (bound, read, closed).
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

// serve --jetstream, its workers and harness runs against them, in one temporary directory.
class ClusterSession {
 public:
  ClusterSession(const JetStreamCluster& cluster, std::uint32_t partitions,
                 std::vector<std::string> serve_args = {})
      : m_cluster(cluster),
        m_partitions(partitions),
        m_source_port(free_port()),
        m_listener_port(free_port()) {
    std::vector<std::string> args{"serve",
                                  "--jetstream",
                                  cluster.urls(),
                                  "--partitions",
                                  std::to_string(partitions),
                                  "--source-port",
                                  std::to_string(m_source_port),
                                  "--listener-port",
                                  std::to_string(m_listener_port)};
    args.insert(args.end(), serve_args.begin(), serve_args.end());
    m_serve = std::make_unique<BackgroundProcess>(LIKEMATCH_BINARY, args, m_dir.path("serve.log"));
    REQUIRE(m_serve->wait_for_log("listening:", 60s));
  }

  // A worker for `partition` ("K", "K,L" or "all"), its state in state-N.
  std::unique_ptr<BackgroundProcess> worker(const std::string& partition, int state,
                                            std::uint32_t partitions = 0,
                                            const std::vector<std::string>& more = {}) {
    std::vector<std::string> args{"worker",
                                  "--jetstream",
                                  m_cluster.urls(),
                                  "--partitions",
                                  std::to_string(partitions == 0 ? m_partitions : partitions),
                                  "--partition",
                                  partition,
                                  "--state-dir",
                                  m_dir.path("state-" + std::to_string(state))};
    args.insert(args.end(), more.begin(), more.end());
    return std::make_unique<BackgroundProcess>(
        LIKEMATCH_BINARY, args, m_dir.path("worker-" + std::to_string(state) + ".log"));
  }

  std::unique_ptr<BackgroundProcess> harness(std::vector<std::string> args) {
    std::vector<std::string> all{"harness", "--source-port", std::to_string(m_source_port),
                                 "--listener-port", std::to_string(m_listener_port)};
    all.insert(all.end(), args.begin(), args.end());
    return std::make_unique<BackgroundProcess>(
        LIKEMATCH_BINARY, all, m_dir.path("harness-" + std::to_string(++m_runs) + ".log"));
  }

  // A harness run to its verdict: its log.
  std::string run_harness(std::vector<std::string> args) {
    auto run = harness(std::move(args));
    const std::optional<int> status = run->wait_for(180s);
    INFO(run->log() << logs());
    if (!status) {
      FAIL_CHECK("the harness run did not end within 180 s (killed)");
    }
    CHECK(status == 0);
    return run->log();
  }

  BackgroundProcess& serve() { return *m_serve; }
  // serve's log and every worker's, for a failure's message: a worker that died (a sanitizer's
  // report, a broken invariant) says why only there.
  std::string logs() const {
    std::string text = "\nserve:\n" + m_serve->log();
    for (const auto& entry : std::filesystem::directory_iterator(m_dir.path(""))) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("worker-")) {
        std::ifstream file(entry.path());
        text += "\n" + name + ":\n" + std::string(std::istreambuf_iterator<char>(file), {});
      }
    }
    return text;
  }
  std::uint16_t source_port() const { return m_source_port; }
  std::uint16_t listener_port() const { return m_listener_port; }

 private:
  const JetStreamCluster& m_cluster;
  std::uint32_t m_partitions;
  TempDir m_dir;
  std::uint16_t m_source_port;
  std::uint16_t m_listener_port;
  std::unique_ptr<BackgroundProcess> m_serve;
  int m_runs = 0;
};

// The partitions of `partitions` split over two workers: "0,2,..." and "1,3,...".
std::string every_other(std::uint32_t partitions, std::uint32_t first) {
  std::string list;
  for (std::uint32_t k = first; k < partitions; k += 2) {
    if (!list.empty()) {
      list += ',';
    }
    list += std::to_string(k);
  }
  return list;
}

struct Variant {
  std::uint32_t partitions;
  std::vector<std::string> options;  // the rule and the stream, for serve and harness alike
  std::vector<std::string> stream;   // the harness's alone
};

TEST_CASE(
    "through the cluster the listener gets the embedded engine's list, for 1, 2, 3 and 8 "
    "partitions",
    "[cluster]") {
  const Variant variant =
      GENERATE(Variant{1, {"--rule", "ever"}, {"--shuffle", "full", "--self-likes"}},
               Variant{2, {"--rule", "latest", "--once"}, {"--shuffle", "window:20"}},
               Variant{3,
                       {"--rule", "ever", "--once", "--self-like-rule", "match"},
                       {"--shuffle", "none", "--self-likes"}},
               Variant{8,
                       {"--rule", "latest", "--self-like-rule", "ignore"},
                       {"--shuffle", "full", "--self-likes"}});
  INFO(variant.partitions << " partitions");
  JetStreamCluster cluster;
  ClusterSession session(cluster, variant.partitions, variant.options);
  auto first =
      session.worker(variant.partitions == 1 ? "0" : every_other(variant.partitions, 0), 1);
  std::unique_ptr<BackgroundProcess> second;
  if (variant.partitions > 1) {
    second = session.worker(every_other(variant.partitions, 1), 2);
  }
  std::vector<std::string> args{"--events", "30000", "--users", "300"};
  args.insert(args.end(), variant.options.begin(), variant.options.end());
  args.insert(args.end(), variant.stream.begin(), variant.stream.end());
  const std::string log = session.run_harness(args);
  CHECK(log.find("MATCH END - OK") != std::string::npos);
}

TEST_CASE("two sessions in a row through the cluster are kept apart", "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 3);
  auto worker = session.worker("all", 1);
  session.run_harness({"--events", "20000", "--users", "200", "--seed", "1"});
  session.run_harness({"--events", "20000", "--users", "200", "--seed", "2"});
}

TEST_CASE("a worker killed with SIGKILL mid-session and restarted: the session ends OK",
          "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2);
  auto steady = session.worker("1", 2);
  auto killed = session.worker("0", 1);
  // In order with a small window, so that the partition decides all along the session.
  auto run =
      session.harness({"--events", "300000", "--shuffle", "window:50", "--chunk-bytes", "65536"});
  for (int round = 0; round < 2; ++round) {
    REQUIRE(killed->wait_for_log("reading LIKEMATCH_IN_0", 60s));
    REQUIRE(session.serve().wait_for_log("session 1 begins", 60s));
    std::this_thread::sleep_for(std::chrono::milliseconds(100 + std::rand() % 200));
    killed->kill(SIGKILL);
    killed->wait_for(10s);
    killed = session.worker("0", 1);
  }
  const std::optional<int> status = run->wait_for(180s);
  INFO(run->log() << session.logs());
  CHECK(status == 0);
  // The last one went on from its state, not from the stream's start.
  const std::string log = killed->log();
  CHECK(log.find("from stream sequence 1 ", log.rfind("reading LIKEMATCH_IN_0")) ==
        std::string::npos);
}

TEST_CASE(
    "workers whose --memory-budget is far below their pairs' state, one killed and restarted: "
    "the session ends OK",
    "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2, {"--rule", "latest"});
  // 1 MiB: each worker's decider holds about 4,000 pairs' states, its partition has about
  // 15,000 liked pairs (a third of its events, at the harness's density).
  const std::vector<std::string> budget{"--memory-budget", "1MiB"};
  auto steady = session.worker("1", 2, 0, budget);
  auto killed = session.worker("0", 1, 0, budget);
  auto run = session.harness({"--events", "100000", "--rule", "latest", "--shuffle", "window:50",
                              "--chunk-bytes", "65536"});
  REQUIRE(killed->wait_for_log("reading LIKEMATCH_IN_0", 60s));
  REQUIRE(session.serve().wait_for_log("session 1 begins", 60s));
  std::this_thread::sleep_for(std::chrono::milliseconds(100 + std::rand() % 200));
  killed->kill(SIGKILL);
  killed->wait_for(10s);
  killed = session.worker("0", 1, 0, budget);
  const std::optional<int> status = run->wait_for(180s);
  INFO(run->log() << "\nworker:\n" << killed->log() << "\nserve:\n" << session.serve().log());
  CHECK(status == 0);
  CHECK(killed->log().find("memory budget 1048576 bytes") != std::string::npos);
}

TEST_CASE("a message read again by a restarted worker is applied once", "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 1, {"--log-level", "debug"});
  // The worker exits after publishing its 3rd decided batch, before committing it: restarted,
  // it reads that message again and publishes the same decisions, which serve takes once.
  ::setenv("LIKEMATCH_WORKER_EXIT_AFTER_PUBLISH", "3", 1);
  auto crashing = session.worker("0", 1);
  ::unsetenv("LIKEMATCH_WORKER_EXIT_AFTER_PUBLISH");
  auto run =
      session.harness({"--events", "100000", "--shuffle", "window:50", "--chunk-bytes", "16384"});
  REQUIRE(crashing->wait_for(120s) == 1);
  auto restarted = session.worker("0", 1);
  const std::optional<int> status = run->wait_for(180s);
  INFO(run->log() << session.logs());
  CHECK(status == 0);
  CHECK(session.serve().log().find("partition 0 decided up to") != std::string::npos);
  CHECK(session.serve().log().find("again (its worker read a message again), taken once") !=
        std::string::npos);
}

TEST_CASE("the stream leader's server killed mid-session and restarted: the session ends OK",
          "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2);
  auto first = session.worker("0", 1);
  auto second = session.worker("1", 2);
  auto run = session.harness({"--events", "300000", "--shuffle", "window:50", "--chunk-bytes",
                              "65536", "--timeout", "170"});
  REQUIRE(session.serve().wait_for_log("session 1 begins", 60s));
  std::this_thread::sleep_for(200ms);
  const int leader = cluster.leader("LIKEMATCH_IN_0");
  REQUIRE(leader >= 0);
  cluster.kill_node(leader);
  std::this_thread::sleep_for(1s);
  cluster.start_node(leader);
  const std::optional<int> status = run->wait_for(180s);
  INFO(run->log() << session.logs());
  CHECK(status == 0);
}

TEST_CASE(
    "the whole cluster lost mid-session: the session ends with an error naming it, the "
    "listener is closed, and serve takes the next session once the cluster is back",
    "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2, {"--connect-timeout", "2"});
  auto first = session.worker("0", 1);
  auto second = session.worker("1", 2);
  // A scripted run: its first match comes back through the cluster before the cluster goes.
  test::Peer listener = test::Peer::connect(session.listener_port());
  test::Peer source = test::Peer::connect(session.source_port());
  REQUIRE(source.send("EVENT BEGIN\n1|LIKE_LIKED|1|2\n2|LIKE_LIKED|2|1\n"));
  REQUIRE(listener.read_until([](const std::string& text) { return text == "2\n"; }, 60s));
  for (int node = 0; node < 3; ++node) {
    cluster.kill_node(node);
  }
  // More events while it is gone: they cannot be published.
  REQUIRE(source.send("3|LIKE_LIKED|3|4\n4|LIKE_LIKED|4|3\n"));
  // --connect-timeout (2 s), then the error; a bound for a loaded machine.
  const std::string error = "session 1: the NATS cluster at " + cluster.urls() +
                            " has been unreachable for 2 s: the session ends without its list";
  const bool said = session.serve().wait_for_log(error, 30s);
  const bool listener_closed = listener.wait_closed(30s);
  const bool source_closed = source.wait_closed(30s);
  INFO(session.logs());
  CHECK(said);
  CHECK(listener_closed);
  CHECK(listener.received == "2\n");
  CHECK(source_closed);
  const std::size_t lost_at = session.serve().log().size();
  for (int node = 0; node < 3; ++node) {
    cluster.start_node(node);
  }
  // A session that begins before serve is connected again fails at once. (While the servers
  // were killed one by one, serve may have reconnected in between: only a later line counts.)
  const std::string back = "connected to the NATS cluster at " + cluster.urls() + " again";
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (session.serve().log().find(back, lost_at) == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  REQUIRE(session.serve().log().find(back, lost_at) != std::string::npos);
  // The cluster elects its leaders again (tens of seconds on an old store); the next run waits.
  const std::string log =
      session.run_harness({"--events", "20000", "--users", "200", "--timeout", "170"});
  CHECK(log.find("MATCH END - OK") != std::string::npos);
}

TEST_CASE("a partition without a worker is named in a warning", "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2, {"--worker-silence", "1"});
  auto worker = session.worker("0", 1);
  auto run = session.harness({"--events", "2000", "--users", "100", "--timeout", "30"});
  CHECK(
      session.serve().wait_for_log("partition 1 has decided nothing for 1 s: is a worker "
                                   "running for it? (likematch worker --partitions 2 "
                                   "--partition 1)",
                                   30s));
  CHECK(session.serve().log().find("partition 0 has decided nothing") == std::string::npos);
  // Its worker comes late: the session still ends OK.
  auto late = session.worker("1", 2);
  CHECK(run->wait_for(120s) == 0);
}

TEST_CASE("a worker on another number of partitions than serve's is refused, naming both",
          "[cluster]") {
  JetStreamCluster cluster;
  ClusterSession session(cluster, 2);
  auto worker = session.worker("all", 1, 3);
  auto run = session.harness({"--events", "2000", "--users", "100", "--timeout", "20"});
  CHECK(worker->wait_for(60s) == 1);
  CHECK(worker->log().find("serve splits the pairs into 2 partitions, this worker was started "
                           "with --partitions 3: refused") != std::string::npos);
}

TEST_CASE("serve and worker say which URLs they could not reach, after --connect-timeout",
          "[cluster]") {
  const std::string nowhere = "nats://127.0.0.1:" + std::to_string(free_port());
  TempDir dir;
  // Each gives up after 1 s: a minute is a hang.
  const auto within = std::chrono::minutes(1);
  const auto serve = test::run_process(LIKEMATCH_BINARY,
                                       {"serve", "--jetstream", nowhere, "--connect-timeout", "1",
                                        "--source-port", "0", "--listener-port", "0"},
                                       "", test::Stdout::file, test::Stderr::file, "", within);
  CHECK(serve.status == 1);
  CHECK(serve.err.find("--jetstream: cannot reach the NATS cluster at " + nowhere +
                       " within 1 s") != std::string::npos);
  const auto worker = test::run_process(LIKEMATCH_BINARY,
                                        {"worker", "--jetstream", nowhere, "--connect-timeout", "1",
                                         "--state-dir", dir.path("state")},
                                        "", test::Stdout::file, test::Stderr::file, "", within);
  CHECK(worker.status == 1);
  CHECK(worker.err.find("cannot reach the NATS cluster at " + nowhere + " within 1 s") !=
        std::string::npos);
}

}  // namespace
}  // namespace likematch
