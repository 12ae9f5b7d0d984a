#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace likematch::io {

// What the client saw happen to its connection to the cluster.
enum class ConnectionChange {
  lost,  // the server it was connected to is gone; it tries every server of the cluster again
  back,  // connected again, to any server of the cluster
};

struct JetStreamOptions {
  std::vector<std::string> urls;  // nats://host:port, any of the cluster's servers
  // Keep trying this long for a first connection; once connected, the client reconnects to
  // any server of the cluster for as long as it takes.
  std::chrono::milliseconds connect_timeout{10'000};
  int replicas = 3;  // of the streams it creates
  // publish_async: a message without an acknowledgement this long is published again, and a
  // subject whose publishes keep failing this long is given up (see publish_async).
  std::chrono::milliseconds ack_wait{5'000};
  std::chrono::milliseconds publish_patience{60'000};
  // Told of every change, on the client's own thread (never after the JetStream is destroyed).
  std::function<void(ConnectionChange)> on_connection;
  // Not 0: a publish gives up once no server of the cluster has been reachable this long.
  std::chrono::milliseconds unreachable_limit{0};
};

// A connection to a NATS JetStream cluster, through the NATS C client, for bytes only: streams
// created if missing, publishing that waits for the stream's acknowledgement or goes on while
// the acknowledgements come back (in order per subject, see publish_async), and ordered push
// consumers (no acknowledgements, no redeliveries, in stream order; the client re-creates one
// where it left off after a server is lost). Pull consumers are not used: libnats 3.4's
// natsSubscription_Fetch overflows its heap when messages of a timed-out fetch are queued.
class JetStream {
 public:
  ~JetStream();
  JetStream(const JetStream&) = delete;
  JetStream& operator=(const JetStream&) = delete;

  // The connection, or why there is none after options.connect_timeout (naming the URLs).
  static std::variant<std::unique_ptr<JetStream>, std::string> connect(
      const JetStreamOptions& options);

  // A stream `name` holding `subject`, on file storage with the options' replicas; one that
  // exists is left as it is. nullopt: done; otherwise why not.
  std::optional<std::string> ensure_stream(const std::string& name, const std::string& subject);

  // Publishes and waits for the acknowledgement, trying again for up to `patience` (a stream
  // whose leader was lost is unavailable for seconds). A retried message may be stored twice;
  // its reader must tell.
  // Gives up sooner once the cluster has been unreachable for JetStreamOptions::unreachable_limit.
  std::optional<std::string> publish(const std::string& subject, std::string_view bytes,
                                     std::chrono::milliseconds patience);

  // Publishes without waiting: the message is handed to the client and this returns, so that
  // publishing overlaps whatever the caller does next. Messages of one subject are stored in
  // the order given, each at least once: when one is not acknowledged (an error, or nothing
  // within ack_wait), it is published again together with every later one of its subject, in
  // order. So a reader may meet later messages before the earlier one's new copy, and copies
  // of any: it must number its messages and take only the next one. A subject whose
  // publishes keep failing for publish_patience is given up: `failed` (set_publish_failed) is
  // called on the client's thread. nullopt: handed over; otherwise why not (after trying for
  // publish_patience).
  std::optional<std::string> publish_async(const std::string& subject, std::string_view bytes);
  void set_publish_failed(std::function<void(const std::string& why)> failed);
  // Waits until every message of publish_async was acknowledged or given up; otherwise, after
  // `timeout`, says so.
  std::optional<std::string> wait_published(std::chrono::milliseconds timeout);

  // Called on the client's thread, one message of a subscription at a time, in stream order.
  using Handler = std::function<void(std::string_view bytes, std::uint64_t stream_sequence)>;
  // An ordered consumer of `subject` in `stream` from `start_sequence` (0: only messages
  // published from now on).
  std::optional<std::string> subscribe_ordered(const std::string& stream,
                                               const std::string& subject,
                                               std::uint64_t start_sequence, Handler handler);

 private:
  struct Impl;
  explicit JetStream(std::unique_ptr<Impl> impl);
  // JetStreamOptions::unreachable_limit has passed without a server.
  bool unreachable_too_long() const;
  std::unique_ptr<Impl> m_impl;
};

// Why a publish gave up under JetStreamOptions::unreachable_limit, and the words for a cluster
// lost that long.
std::string unreachable_message(const std::vector<std::string>& urls,
                                std::chrono::milliseconds unreachable_for);

// "a,b,c" as its parts; empty parts are dropped.
std::vector<std::string> split_urls(std::string_view urls);

}  // namespace likematch::io
