#include "cli/worker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/option_values.hpp"
#include "cli/partition_state.hpp"
#include "core/cluster/partition_decider.hpp"
#include "core/cluster/wire.hpp"
#include "io/jetstream.hpp"
#include "io/rocksdb_store.hpp"

namespace likematch::cli {

namespace {

// A publish waits this long for a stream whose leader was lost (elections take seconds).
constexpr std::chrono::seconds k_publish_patience{120};

volatile std::sig_atomic_t g_signalled = 0;

// Fault injection for the tests of a real cluster: with N in this variable, the worker exits
// at once after its Nth publish, before committing, as a worker killed at that point would,
// so that its restart reads the message again.
constexpr char k_exit_after_publish_variable[] = "LIKEMATCH_WORKER_EXIT_AFTER_PUBLISH";

std::uint64_t exit_after_publish() {
  const char* value = std::getenv(k_exit_after_publish_variable);
  return value == nullptr ? 0 : std::strtoull(value, nullptr, 10);
}

void on_signal(int) {
  g_signalled = 1;
}

// One partition: its store, its decider (which reads the store), and the lock its consumer's
// thread holds while it applies a message (shutdown takes it too, so that no message is half
// applied); and the writes decided and published but not yet committed, in order, which its
// committer thread writes, so that a slow disk write (RocksDB stalls writes while it flushes)
// does not hold up the next decision.
struct Partition {
  std::uint32_t number = 0;
  std::unique_ptr<io::RocksStore> store;
  std::unique_ptr<RocksReader> reader;
  std::unique_ptr<PartitionDecider> decider;
  std::mutex busy;
  std::mutex commits_lock;
  std::condition_variable commits_changed;
  std::vector<StoreWrite> commits;
  bool writing = false;      // the committer holds writes taken from `commits`
  bool last_commit = false;  // stop: write what is queued, then end
  std::thread committer;
};

// --memory-budget split: half to RocksDB (its block cache and memtables, shared by the
// worker's partitions), half to the deciders' own caches, evenly.
std::uint64_t rocksdb_share(std::uint64_t budget) {
  return budget / 2;
}
DeciderMemory decider_share(std::uint64_t budget, std::size_t partitions) {
  return DeciderMemory::from_budget(static_cast<std::size_t>((budget - rocksdb_share(budget)) /
                                                             std::max<std::size_t>(1, partitions)));
}

class Worker {
 public:
  Worker(const WorkerOptions& options, std::shared_ptr<spdlog::logger> logger)
      : m_options(options),
        m_logger(std::move(logger)),
        m_exit_after_publish(exit_after_publish()) {}

  int run() {
    // Checked here rather than by the parser, so that every option parses on its own.
    if (m_options.cluster.jetstream.empty() || m_options.state_dir.empty()) {
      m_logger->error("worker: --jetstream and --state-dir are required");
      return k_exit_usage;
    }
    std::vector<std::uint32_t> numbers;
    if (const auto error =
            parse_partition_list(m_options.partition, m_options.cluster.partitions, numbers)) {
      m_logger->error("{}", *error);
      return k_exit_usage;
    }
    if (!open_states(numbers)) {
      return k_exit_failure;
    }
    io::JetStreamOptions js;
    js.urls = io::split_urls(m_options.cluster.jetstream);
    js.connect_timeout = m_options.connect_timeout;
    js.replicas = static_cast<int>(m_options.cluster.replicas);
    auto connected = io::JetStream::connect(js);
    if (auto* error = std::get_if<std::string>(&connected)) {
      m_logger->error("{}", *error);
      return k_exit_failure;
    }
    m_js = std::move(std::get<std::unique_ptr<io::JetStream>>(connected));
    for (const auto& partition : m_partitions) {
      partition->committer = std::thread([this, &partition = *partition] { committer(partition); });
    }
    for (const auto& partition : m_partitions) {
      if (!consume(*partition)) {
        stop();
        return k_exit_failure;
      }
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    while (g_signalled == 0 && !m_failed) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
    return m_failed ? k_exit_failure : k_exit_ok;
  }

 private:
  bool open_states(const std::vector<std::uint32_t>& numbers) {
    m_rocks_memory = std::make_unique<io::RocksMemory>(
        static_cast<std::size_t>(rocksdb_share(m_options.memory_budget)), numbers.size());
    const DeciderMemory memory = decider_share(m_options.memory_budget, numbers.size());
    if (m_options.memory_budget != 0) {
      m_logger->info(
          "memory budget {} bytes: RocksDB's cache and memtables {}, and per partition at most "
          "{} pairs' states and {} waiting events held (the rest read from RocksDB)",
          m_options.memory_budget, rocksdb_share(m_options.memory_budget), memory.pairs,
          memory.waiting);
    }
    for (const std::uint32_t k : numbers) {
      // The number of partitions is in the name: a state of another layout is never reused.
      const std::string dir = fmt::format("{}/partition-{}-of-{}", m_options.state_dir, k,
                                          m_options.cluster.partitions);
      std::error_code error;
      std::filesystem::create_directories(dir, error);
      auto opened = io::RocksStore::open(dir, m_rocks_memory.get());
      if (auto* message = std::get_if<std::string>(&opened)) {
        m_logger->error("partition {}: {}", k, *message);
        return false;
      }
      auto partition = std::make_unique<Partition>();
      partition->number = k;
      partition->store = std::move(std::get<std::unique_ptr<io::RocksStore>>(opened));
      partition->reader = std::make_unique<RocksReader>(*partition->store);
      partition->decider = std::make_unique<PartitionDecider>(*partition->reader, memory);
      if (const auto unread = partition->decider->restore()) {
        m_logger->error("partition {}: {}", k, *unread);
        return false;
      }
      m_partitions.push_back(std::move(partition));
    }
    return true;
  }

  bool consume(Partition& partition) {
    const std::uint32_t k = partition.number;
    for (const auto& [stream, subject] : {std::pair{input_stream(k), input_subject(k)},
                                          std::pair{output_stream(k), output_subject(k)}}) {
      if (const auto error = m_js->ensure_stream(stream, subject)) {
        m_logger->error("partition {}: {}", k, *error);
        return false;
      }
    }
    const PartitionDecider& decider = *partition.decider;
    m_logger->info(
        "partition {} of {}: reading {} from stream sequence {} (session {}, decided "
        "up to {}, {} events waiting)",
        k, m_options.cluster.partitions, input_stream(k), decider.applied_sequence() + 1,
        decider.key().session, decider.decided_up_to(), decider.waiting());
    if (const auto error = m_js->subscribe_ordered(
            input_stream(k), input_subject(k), decider.applied_sequence() + 1,
            [this, &partition](std::string_view bytes, std::uint64_t sequence) {
              on_message(partition, bytes, sequence);
            })) {
      m_logger->error("partition {}: {}", k, *error);
      return false;
    }
    return true;
  }

  // On the consumer's thread: decide, publish what was decided, then queue the commit, so that
  // a worker killed before the commit decides the message again from its committed state and
  // publishes the same batch (serve takes it once).
  void on_message(Partition& partition, std::string_view bytes, std::uint64_t sequence) {
    const std::lock_guard lock(partition.busy);
    if (m_failed || m_stopping) {
      return;
    }
    std::string error;
    const auto batch = decode_event_batch(bytes, error);
    if (!batch) {
      m_logger->warn("partition {}: stream sequence {}: {}, skipped", partition.number, sequence,
                     error);
      return;
    }
    if (batch->partitions != m_options.cluster.partitions) {
      fail(
          fmt::format("partition {}: serve splits the pairs into {} partitions, this worker "
                      "was started with --partitions {}: refused",
                      partition.number, batch->partitions, m_options.cluster.partitions));
      return;
    }
    // A watermark that passes more events than a step decides (--memory-budget) takes several
    // steps, each published and committed like a message of its own.
    for (bool more = true; more && !m_stopping;) {
      if (m_options.memory_budget != 0) {
        // Under a budget the decider reads what it does not hold from the store, which must
        // then hold every earlier write.
        wait_committed(partition);
      }
      auto applied = partition.decider->apply(sequence, *batch);
      if (!applied) {
        return;  // applied before
      }
      if (applied->failed) {
        fail(fmt::format("partition {}: {}", partition.number, *applied->failed));
        return;
      }
      if (applied->decided) {
        if (const auto failed = m_js->publish(output_subject(partition.number),
                                              encode(*applied->decided), k_publish_patience)) {
          fail(fmt::format("partition {}: {}", partition.number, *failed));
          return;
        }
        if (m_exit_after_publish != 0 && --m_exit_after_publish == 0) {
          std::_Exit(k_exit_failure);  // see k_exit_after_publish_variable
        }
      }
      {
        const std::lock_guard queued(partition.commits_lock);
        partition.commits.push_back(std::move(applied->write));
      }
      partition.commits_changed.notify_all();
      if (applied->decided) {
        m_logger->debug("partition {}: session {} decided up to {}, {} match(es)", partition.number,
                        batch->key.session, applied->decided->decided_up_to,
                        applied->decided->matches.size());
      }
      more = applied->more;
    }
  }

  // The partition's committer thread: the queued writes, in order, several in one RocksDB
  // write when they piled up; each after its decision was published.
  void committer(Partition& partition) {
    for (;;) {
      std::vector<StoreWrite> writes;
      {
        std::unique_lock lock(partition.commits_lock);
        partition.commits_changed.wait(
            lock, [&] { return !partition.commits.empty() || partition.last_commit; });
        if (partition.commits.empty()) {
          return;
        }
        writes.swap(partition.commits);
        partition.writing = true;
      }
      // After a failed write nothing later may be written.
      if (!m_failed) {
        if (const auto failed = commit(*partition.store, writes)) {
          fail(fmt::format("partition {}: {}", partition.number, *failed));
        }
      }
      {
        const std::lock_guard lock(partition.commits_lock);
        partition.writing = false;
      }
      partition.commits_changed.notify_all();
    }
  }

  // Until every queued write of the partition is in the store.
  static void wait_committed(Partition& partition) {
    std::unique_lock lock(partition.commits_lock);
    partition.commits_changed.wait(lock,
                                   [&] { return partition.commits.empty() && !partition.writing; });
  }

  void fail(const std::string& message) {
    m_logger->error("{}", message);
    m_failed = true;
  }

  // No message is applied any more; one being applied is finished first; what was decided is
  // committed.
  void stop() {
    m_stopping = true;
    for (const auto& partition : m_partitions) {
      const std::lock_guard lock(partition->busy);
    }
    for (const auto& partition : m_partitions) {
      {
        const std::lock_guard lock(partition->commits_lock);
        partition->last_commit = true;
      }
      partition->commits_changed.notify_all();
      if (partition->committer.joinable()) {
        partition->committer.join();
      }
    }
    m_js.reset();
  }

  WorkerOptions m_options;
  std::shared_ptr<spdlog::logger> m_logger;
  std::unique_ptr<io::RocksMemory> m_rocks_memory;  // shared by the partitions' stores
  std::vector<std::unique_ptr<Partition>> m_partitions;
  std::unique_ptr<io::JetStream> m_js;
  std::atomic<bool> m_failed = false;
  std::atomic<bool> m_stopping = false;
  std::atomic<std::uint64_t> m_exit_after_publish;
};

}  // namespace

int run_worker(const WorkerOptions& options, const Output& output) {
  Worker worker(options, make_logger(options.log, output));
  return worker.run();
}

}  // namespace likematch::cli
