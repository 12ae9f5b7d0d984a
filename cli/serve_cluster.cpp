#include "cli/serve_cluster.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <asio/post.hpp>

#include <random>
#include <utility>
#include <variant>

#include "io/jetstream.hpp"

namespace likematch::cli {

namespace {

// serve's publishes wait this long for a stream whose leader was lost.
constexpr std::chrono::seconds k_publish_patience{60};

std::uint64_t random_run() {
  std::random_device device;
  return (std::uint64_t{device()} << 32) | device();
}

}  // namespace

ClusterBridge::ClusterBridge(const ClusterOptions& options, asio::io_context& io,
                             spdlog::logger& logger)
    : m_options(options),
      m_io(io),
      m_logger(logger),
      m_run(random_run()),
      m_router(options.partitions, options.batch_events),
      m_merge(options.partitions),
      m_heard(options.partitions),
      m_warned(options.partitions, false),
      m_timer(io),
      m_lost_timer(io) {}

ClusterBridge::~ClusterBridge() = default;

std::optional<std::string> ClusterBridge::start(std::chrono::milliseconds connect_timeout) {
  io::JetStreamOptions js;
  js.urls = io::split_urls(m_options.jetstream);
  js.connect_timeout = connect_timeout;
  js.replicas = static_cast<int>(m_options.replicas);
  js.publish_patience = k_publish_patience;
  // Lost mid-session as at start: unreachable for the connect timeout.
  m_lost_after = connect_timeout;
  js.unreachable_limit = connect_timeout;
  js.on_connection = [this](io::ConnectionChange change) {
    asio::post(m_io, [this, change] { on_connection(change); });
  };
  auto connected = io::JetStream::connect(js);
  if (auto* error = std::get_if<std::string>(&connected)) {
    return "--jetstream: " + *error;
  }
  m_js = std::move(std::get<std::unique_ptr<io::JetStream>>(connected));
  // On the client's thread; stop() destroys the connection before the bridge goes.
  m_js->set_publish_failed(
      [this](const std::string& why) { asio::post(m_io, [this, why] { publish_failed(why); }); });
  for (std::uint32_t k = 0; k < m_options.partitions; ++k) {
    for (const auto& [stream, subject] : {std::pair{input_stream(k), input_subject(k)},
                                          std::pair{output_stream(k), output_subject(k)}}) {
      if (auto error = m_js->ensure_stream(stream, subject)) {
        return "--jetstream: " + *error;
      }
    }
    // Only what is published from now on: earlier sessions' outputs are not ours.
    if (auto error = m_js->subscribe_ordered(
            output_stream(k), output_subject(k), 0, [this](std::string_view bytes, std::uint64_t) {
              asio::post(m_io, [this, owned = std::string(bytes)] { on_output(owned); });
            })) {
      return "--jetstream: " + *error;
    }
  }
  m_logger.info("the matches are decided by workers on {} ({} partition{}, streams {}..{})",
                m_options.jetstream, m_options.partitions, m_options.partitions == 1 ? "" : "s",
                input_stream(0), output_stream(m_options.partitions - 1));
  check_workers();
  return std::nullopt;
}

void ClusterBridge::stop() {
  m_stopped = true;
  m_timer.cancel();
  m_lost_timer.cancel();
  m_js.reset();
}

void ClusterBridge::begin(std::uint64_t session, const MatchRules& rules) {
  // The previous session's batches are stored before this one's begin: a worker meeting a
  // batch of an earlier session after a later one's would start that partition afresh.
  if (!m_stopped && m_session != 0) {
    if (auto error = m_js->wait_published(k_publish_patience)) {
      m_logger.error("session {}: {}", m_session, *error);
    }
  }
  m_session = session;
  const SessionKey key{m_run, session};
  m_router.begin(key, rules);
  m_merge.begin(key);
  m_complete = false;
  m_failed = false;
  m_published = 0;
  const auto now = std::chrono::steady_clock::now();
  std::fill(m_heard.begin(), m_heard.end(), now);
  std::fill(m_warned.begin(), m_warned.end(), false);
  if (m_lost) {
    fail_session(io::unreachable_message(io::split_urls(m_options.jetstream), m_lost_after));
  }
}

void ClusterBridge::event(const Event& event) {
  m_router.add(event);
}

void ClusterBridge::watermark(std::uint64_t watermark, bool input_ended) {
  if (m_stopped) {
    return;
  }
  // Without waiting for the acknowledgements: reading the source goes on meanwhile. The
  // client keeps each partition's batches in order (republishing a failed one with those
  // after it; the worker takes only the next batch number).
  for (const EventBatch& batch : m_router.flush(watermark)) {
    if (m_failed) {
      break;
    }
    if (auto error = m_js->publish_async(input_subject(batch.partition), encode(batch))) {
      fail_session(*error);
    }
  }
  m_published = watermark;
  if (input_ended) {
    m_merge.input_ended(watermark);
    // Not from inside the hub's own call.
    asio::post(m_io, [this] { deliver({}); });
  }
}

// A partition's publishes kept failing past their patience: the session cannot be completed.
void ClusterBridge::publish_failed(const std::string& why) {
  fail_session(why);
}

void ClusterBridge::on_output(const std::string& bytes) {
  std::string error;
  const auto batch = decode_decided_batch(bytes, error);
  if (!batch) {
    m_logger.warn("an output stream holds {}, skipped", error);
    return;
  }
  if (!(batch->key == m_merge.key()) || batch->partition >= m_heard.size()) {
    return;
  }
  m_heard[batch->partition] = std::chrono::steady_clock::now();
  if (batch->decided_up_to <= m_merge.decided_up_to(batch->partition)) {
    m_logger.debug(
        "session {}: partition {} decided up to {} again (its worker read a message "
        "again), taken once",
        m_session, batch->partition, batch->decided_up_to);
    return;
  }
  deliver(m_merge.take(*batch));
}

void ClusterBridge::deliver(std::vector<std::uint64_t> numbers) {
  if (m_hub == nullptr || m_complete || m_failed) {
    return;
  }
  m_complete = m_merge.complete();
  if (!numbers.empty() || m_complete) {
    m_hub->remote_decided(m_session, numbers, m_complete);
  }
}

// Every 100 ms: a partition that owes an answer and has said nothing for --worker-silence has
// no worker (or a stuck one); said once per session and partition.
void ClusterBridge::check_workers() {
  const auto now = std::chrono::steady_clock::now();
  if (!m_complete && !m_failed) {
    for (std::uint32_t k = 0; k < m_options.partitions; ++k) {
      if (!m_warned[k] && m_merge.decided_up_to(k) < m_published &&
          now - m_heard[k] > m_options.worker_silence) {
        m_warned[k] = true;
        m_logger.warn(
            "session {}: partition {} has decided nothing for {} s: is a worker "
            "running for it? (likematch worker --partitions {} --partition {})",
            m_session, k, std::chrono::duration<double>(m_options.worker_silence).count(),
            m_options.partitions, k);
      }
    }
  }
  if (m_stopped) {
    return;
  }
  m_timer.expires_after(std::chrono::milliseconds(100));
  m_timer.async_wait([this](std::error_code error) {
    if (!error) {
      check_workers();
    }
  });
}

// On serve's io_context. A server lost is a pause while the client finds another; no server
// for m_lost_after is a cluster lost.
void ClusterBridge::on_connection(io::ConnectionChange change) {
  if (m_stopped) {
    return;
  }
  if (change == io::ConnectionChange::lost) {
    if (std::exchange(m_unreachable, true)) {
      return;
    }
    m_logger.warn("lost the connection to the NATS cluster at {}; trying its servers again",
                  m_options.jetstream);
    m_lost_timer.expires_after(m_lost_after);
    m_lost_timer.async_wait([this](std::error_code error) {
      if (!error && m_unreachable) {
        cluster_lost();
      }
    });
    return;
  }
  m_unreachable = false;
  m_lost_timer.cancel();
  m_logger.info("connected to the NATS cluster at {} again", m_options.jetstream);
  m_lost = false;
}

// The session running, or whose list is still being decided, cannot be completed: it ends; so
// does each one that begins before the cluster is back.
void ClusterBridge::cluster_lost() {
  m_lost = true;
  const std::string why =
      io::unreachable_message(io::split_urls(m_options.jetstream), m_lost_after);
  if (m_session != 0 && !m_complete && !m_failed) {
    fail_session(why);
  } else {
    m_logger.error("{}; a session that begins before it is back fails", why);
  }
}

// Said to the hub from outside its own calls; `why` words its HubEvent (failure()).
void ClusterBridge::fail_session(std::string why) {
  if (m_failed) {
    return;
  }
  m_failed = true;
  asio::post(m_io, [this, session = m_session, why = std::move(why)] {
    m_failure = why;
    if (m_hub != nullptr) {
      m_hub->remote_failed(session);
    }
  });
}

std::unique_ptr<RemoteCluster> make_remote_cluster(const ClusterOptions& options,
                                                   asio::io_context& io, spdlog::logger& logger) {
  return std::make_unique<ClusterBridge>(options, io, logger);
}

}  // namespace likematch::cli
