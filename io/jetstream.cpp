#include "io/jetstream.hpp"

#include <fmt/format.h>
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace likematch::io {

namespace {

std::string describe(natsStatus status) {
  const char* last = nats_GetLastError(nullptr);
  if (last != nullptr && *last != '\0') {
    return fmt::format("{} ({})", natsStatus_GetText(status), last);
  }
  return natsStatus_GetText(status);
}

std::string joined(const std::vector<std::string>& urls) {
  return fmt::format("{}", fmt::join(urls, ","));
}

}  // namespace

std::string unreachable_message(const std::vector<std::string>& urls,
                                std::chrono::milliseconds unreachable_for) {
  return fmt::format("the NATS cluster at {} has been unreachable for {} s", joined(urls),
                     std::chrono::duration<double>(unreachable_for).count());
}

std::vector<std::string> split_urls(std::string_view urls) {
  std::vector<std::string> out;
  while (!urls.empty()) {
    const std::size_t comma = urls.find(',');
    const std::string_view part = urls.substr(0, comma);
    if (!part.empty()) {
      out.emplace_back(part);
    }
    urls = comma == std::string_view::npos ? std::string_view() : urls.substr(comma + 1);
  }
  return out;
}

namespace {

// How long a closing client waits for libnats' threads to be done with what it frees; past that
// it is left to them (leaked) rather than freed under them.
constexpr std::chrono::seconds k_callbacks_done_wait{30};

// Something libnats' own threads will say once, last, and a closing client waits for.
class Latch {
 public:
  void open() {
    const std::lock_guard lock(m_mutex);
    m_open = true;
    m_opened.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    return m_opened.wait_for(lock, timeout, [this] { return m_open; });
  }

 private:
  std::mutex m_mutex;
  std::condition_variable m_opened;
  bool m_open = false;
};

}  // namespace

// A subscription's handler runs on its own libnats thread, which may still be in it when the
// subscription is closed from another: `done` opens once that thread has left for good
// (natsSubscription_SetOnCompleteCB), and only then may the handler be freed.
struct Subscription {
  JetStream::Handler handler;
  natsSubscription* sub = nullptr;
  Latch done;
};

// The connection's callbacks, on libnats' thread for them; the closed callback comes last.
struct ConnectionWatch {
  using Clock = std::chrono::steady_clock;

  std::function<void(ConnectionChange)> on_change;
  Latch closed;
  // Since when no server has been reachable (0: connected), for the publishing threads.
  std::atomic<Clock::rep> lost_since{0};

  bool unreachable_for(std::chrono::milliseconds limit) const {
    const Clock::rep since = lost_since.load();
    return since != 0 && Clock::now() - Clock::time_point(Clock::duration(since)) >= limit;
  }
};

// What publish_async keeps until the stream acknowledges it: per subject, the messages not yet
// acknowledged, in the order given, each under the ticket of its latest publication (an
// acknowledgement or failure of an earlier one is stale).
struct AsyncPublishing {
  struct Unacked {
    std::uint64_t ticket;
    std::string bytes;
  };
  struct Subject {
    std::deque<Unacked> unacked;
    std::optional<std::chrono::steady_clock::time_point> failing_since;
  };
  std::mutex mutex;
  std::map<std::string, Subject, std::less<>> subjects;
  std::unordered_map<natsMsg*, std::uint64_t> tickets;  // the client holds these messages
  std::uint64_t last_ticket = 0;
  std::function<void(const std::string&)> failed;
  bool closing = false;
};

struct JetStream::Impl {
  JetStreamOptions options;
  natsOptions* nats_options = nullptr;
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  std::vector<std::unique_ptr<Subscription>> subscriptions;
  AsyncPublishing async;

  // Hands `bytes` to the client under a new ticket (the caller holds async.mutex); false if
  // the client refused it (a full reconnect buffer, a closed connection).
  bool send_async(const std::string& subject, AsyncPublishing::Unacked& unacked,
                  std::string& error);
  void on_ack(natsMsg* message, jsPubAck* ack, jsPubAckErr* failure);

  std::unique_ptr<ConnectionWatch> watch = std::make_unique<ConnectionWatch>();

  ~Impl() {
    {
      const std::lock_guard lock(async.mutex);
      async.closing = true;
    }
    close();
    jsCtx_Destroy(js);
    natsConnection_Destroy(connection);
    natsOptions_Destroy(nats_options);
  }

  // Closes the subscriptions and the connection, then waits until libnats' threads have left
  // every callback of ours: freeing a handler or the watch while one runs is a use after free.
  void close() {
    if (connection == nullptr) {
      return;
    }
    // Connected, an unsubscribe also deletes the consumer on the server; disconnected, that
    // request would wait out its timeout, and the server drops an idle consumer by itself.
    const bool connected = natsConnection_Status(connection) == NATS_CONN_STATUS_CONNECTED;
    for (auto& subscription : subscriptions) {
      if (connected) {
        natsSubscription_Unsubscribe(subscription->sub);
      }
    }
    natsConnection_Close(connection);
    for (auto& subscription : subscriptions) {
      if (subscription->done.wait(k_callbacks_done_wait)) {
        natsSubscription_Destroy(subscription->sub);
      } else {
        subscription.release();  // its thread is still in its handler: left to it
      }
    }
    if (!watch->closed.wait(k_callbacks_done_wait)) {
      watch.release();  // see k_callbacks_done_wait
    }
  }
};

namespace {

void on_disconnected(natsConnection*, void* closure) {
  auto& watch = *static_cast<ConnectionWatch*>(closure);
  ConnectionWatch::Clock::rep connected = 0;
  watch.lost_since.compare_exchange_strong(
      connected, ConnectionWatch::Clock::now().time_since_epoch().count());
  if (watch.on_change) {
    watch.on_change(ConnectionChange::lost);
  }
}

void on_reconnected(natsConnection*, void* closure) {
  auto& watch = *static_cast<ConnectionWatch*>(closure);
  watch.lost_since = 0;
  if (watch.on_change) {
    watch.on_change(ConnectionChange::back);
  }
}

void on_closed(natsConnection*, void* closure) {
  static_cast<ConnectionWatch*>(closure)->closed.open();
}

// The closed callback is always set: closing waits for it (JetStream::Impl::close).
natsStatus watch_connection(natsOptions* options, ConnectionWatch& watch,
                            std::function<void(ConnectionChange)> on_change) {
  watch.on_change = std::move(on_change);
  natsStatus status = natsOptions_SetClosedCB(options, on_closed, &watch);
  if (status == NATS_OK) {
    status = natsOptions_SetDisconnectedCB(options, on_disconnected, &watch);
  }
  if (status == NATS_OK) {
    status = natsOptions_SetReconnectedCB(options, on_reconnected, &watch);
  }
  return status;
}

}  // namespace

JetStream::JetStream(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

JetStream::~JetStream() = default;

std::variant<std::unique_ptr<JetStream>, std::string> JetStream::connect(
    const JetStreamOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  const std::string urls = joined(options.urls);
  if (options.urls.empty()) {
    return std::string("no NATS server URL given");
  }
  std::vector<const char*> servers;
  for (const std::string& url : options.urls) {
    servers.push_back(url.c_str());
  }
  natsStatus status = natsOptions_Create(&impl->nats_options);
  if (status == NATS_OK) {
    status = natsOptions_SetServers(impl->nats_options, servers.data(),
                                    static_cast<int>(servers.size()));
  }
  if (status == NATS_OK) {
    status = natsOptions_SetTimeout(impl->nats_options, 2000);
  }
  if (status == NATS_OK) {
    // Once connected, a lost server is only a pause: reconnect to any, forever.
    status = natsOptions_SetMaxReconnect(impl->nats_options, -1);
  }
  if (status == NATS_OK) {
    status = natsOptions_SetReconnectWait(impl->nats_options, 250);
  }
  if (status == NATS_OK) {
    status = watch_connection(impl->nats_options, *impl->watch, options.on_connection);
  }
  if (status != NATS_OK) {
    return fmt::format("cannot set up the NATS client: {}", describe(status));
  }
  const auto deadline = std::chrono::steady_clock::now() + options.connect_timeout;
  for (;;) {
    status = natsConnection_Connect(&impl->connection, impl->nats_options);
    if (status == NATS_OK || std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  if (status != NATS_OK) {
    return fmt::format("cannot reach the NATS cluster at {} within {} s: {}", urls,
                       std::chrono::duration<double>(options.connect_timeout).count(),
                       describe(status));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 5000;
  // No bound on the messages in flight: a stalled publish_async would wait inside the client,
  // and publish_async republishes from the acknowledgement handler.
  js_options.PublishAsync.MaxPending = 0;
  js_options.PublishAsync.AckHandler = [](jsCtx*, natsMsg* message, jsPubAck* ack,
                                          jsPubAckErr* failure, void* closure) {
    static_cast<Impl*>(closure)->on_ack(message, ack, failure);
  };
  js_options.PublishAsync.AckHandlerClosure = impl.get();
  status = natsConnection_JetStream(&impl->js, impl->connection, &js_options);
  if (status != NATS_OK) {
    return fmt::format("NATS at {}: no JetStream context: {}", urls, describe(status));
  }
  return std::unique_ptr<JetStream>(new JetStream(std::move(impl)));
}

std::optional<std::string> JetStream::ensure_stream(const std::string& name,
                                                    const std::string& subject) {
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  const char* subjects[] = {subject.c_str()};
  config.Name = name.c_str();
  config.Subjects = subjects;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Replicas = m_impl->options.replicas;
  // A cluster that has just started may not have elected a meta leader for its API yet.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    jsStreamInfo* info = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    const natsStatus status = js_AddStream(&info, m_impl->js, &config, nullptr, &error);
    jsStreamInfo_Destroy(info);
    if (status == NATS_OK || error == JSStreamNameExistErr) {
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fmt::format("cannot create stream {}: {}", name, describe(status));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

std::optional<std::string> JetStream::publish(const std::string& subject, std::string_view bytes,
                                              std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    jsPubAck* ack = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    const natsStatus status = js_Publish(&ack, m_impl->js, subject.c_str(), bytes.data(),
                                         static_cast<int>(bytes.size()), nullptr, &error);
    jsPubAck_Destroy(ack);
    if (status == NATS_OK) {
      return std::nullopt;
    }
    if (unreachable_too_long()) {
      return unreachable_message(m_impl->options.urls, m_impl->options.unreachable_limit);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fmt::format("cannot publish to {} within {} s: {}", subject,
                         std::chrono::duration<double>(patience).count(), describe(status));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool JetStream::Impl::send_async(const std::string& subject, AsyncPublishing::Unacked& unacked,
                                 std::string& error) {
  natsMsg* message = nullptr;
  natsStatus status = natsMsg_Create(&message, subject.c_str(), nullptr, unacked.bytes.data(),
                                     static_cast<int>(unacked.bytes.size()));
  if (status == NATS_OK) {
    unacked.ticket = ++async.last_ticket;
    async.tickets[message] = unacked.ticket;
    jsPubOptions publish;
    jsPubOptions_Init(&publish);
    publish.MaxWait = options.ack_wait.count();
    natsMsg* handed = message;
    status = js_PublishMsgAsync(js, &handed, &publish);
    if (status != NATS_OK) {
      async.tickets.erase(message);
    }
  }
  if (status != NATS_OK) {
    natsMsg_Destroy(message);
    error = describe(status);
    return false;
  }
  return true;
}

// On the client's thread, for every message of publish_async and every publication again.
void JetStream::Impl::on_ack(natsMsg* message, jsPubAck* ack, jsPubAckErr* failure) {
  std::string given_up;
  {
    std::unique_lock lock(async.mutex);
    const auto ticket_at = async.tickets.find(message);
    const std::uint64_t ticket = ticket_at == async.tickets.end() ? 0 : ticket_at->second;
    if (ticket_at != async.tickets.end()) {
      async.tickets.erase(ticket_at);
    }
    const std::string subject = natsMsg_GetSubject(message);
    natsMsg_Destroy(message);
    auto subject_at = async.subjects.find(subject);
    if (async.closing || ticket == 0 || subject_at == async.subjects.end()) {
      return;
    }
    auto& unacked = subject_at->second.unacked;
    auto it = std::find_if(unacked.begin(), unacked.end(),
                           [&](const auto& each) { return each.ticket == ticket; });
    if (it == unacked.end()) {
      return;  // stale: published again since
    }
    auto& state = subject_at->second;
    if (ack != nullptr) {
      unacked.erase(it);
      state.failing_since.reset();
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (!state.failing_since) {
      state.failing_since = now;
    }
    const std::string why =
        failure != nullptr && failure->ErrText != nullptr ? failure->ErrText : "no acknowledgement";
    if (now - *state.failing_since >= options.publish_patience) {
      given_up = fmt::format("cannot publish to {} within {} s: {}", subject,
                             std::chrono::duration<double>(options.publish_patience).count(), why);
      unacked.clear();
    } else {
      // A stream without a leader answers at once: not faster than the client reconnects.
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      lock.lock();
      if (async.closing) {
        return;
      }
      if (!state.failing_since) {
        state.failing_since = now;  // only acknowledgements reset it; none came meanwhile
      }
      // This one and every later one of its subject, in order, under new tickets; their
      // earlier publications' answers are stale. Whatever of them the stream stored is stored
      // again after this one: the reader takes only the next number.
      auto& again = async.subjects[subject].unacked;
      auto from = std::find_if(again.begin(), again.end(),
                               [&](const auto& each) { return each.ticket == ticket; });
      // The lock is held while the client refuses (a full reconnect buffer): publish_async
      // waits meanwhile, and the list stays as it is.
      std::string error;
      for (; from != again.end() && given_up.empty(); ++from) {
        while (!send_async(subject, *from, error)) {
          if (std::chrono::steady_clock::now() - *state.failing_since >= options.publish_patience ||
              (options.unreachable_limit.count() > 0 &&
               watch->unreachable_for(options.unreachable_limit))) {
            given_up = fmt::format("cannot publish to {}: {}", subject, error);
            break;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
      }
      if (!given_up.empty()) {
        again.clear();
      }
    }
  }
  if (!given_up.empty()) {
    std::function<void(const std::string&)> failed;
    {
      const std::lock_guard lock(async.mutex);
      failed = async.failed;
    }
    if (failed) {
      failed(given_up);
    }
  }
}

std::optional<std::string> JetStream::publish_async(const std::string& subject,
                                                    std::string_view bytes) {
  Impl& impl = *m_impl;
  const auto deadline = std::chrono::steady_clock::now() + impl.options.publish_patience;
  const std::lock_guard lock(impl.async.mutex);
  auto& unacked = impl.async.subjects[subject].unacked;
  unacked.push_back({0, std::string(bytes)});
  std::string error;
  // The lock is held while the client refuses it (a full reconnect buffer): the list stays as
  // it is, and acknowledgements wait.
  while (!impl.send_async(subject, unacked.back(), error)) {
    if (unreachable_too_long()) {
      unacked.pop_back();
      return unreachable_message(impl.options.urls, impl.options.unreachable_limit);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      unacked.pop_back();
      return fmt::format("cannot publish to {} within {} s: {}", subject,
                         std::chrono::duration<double>(impl.options.publish_patience).count(),
                         error);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return std::nullopt;
}

void JetStream::set_publish_failed(std::function<void(const std::string& why)> failed) {
  const std::lock_guard lock(m_impl->async.mutex);
  m_impl->async.failed = std::move(failed);
}

std::optional<std::string> JetStream::wait_published(std::chrono::milliseconds timeout) {
  jsPubOptions options;
  jsPubOptions_Init(&options);
  options.MaxWait = timeout.count();
  const natsStatus status = js_PublishAsyncComplete(m_impl->js, &options);
  if (status != NATS_OK) {
    return fmt::format("not every message was acknowledged within {} s: {}",
                       std::chrono::duration<double>(timeout).count(), describe(status));
  }
  return std::nullopt;
}

bool JetStream::unreachable_too_long() const {
  return m_impl->options.unreachable_limit.count() > 0 &&
         m_impl->watch->unreachable_for(m_impl->options.unreachable_limit);
}

namespace {

void on_message(natsConnection*, natsSubscription*, natsMsg* message, void* closure) {
  auto& subscription = *static_cast<Subscription*>(closure);
  jsMsgMetaData* meta = nullptr;
  if (natsMsg_GetMetaData(&meta, message) == NATS_OK) {
    subscription.handler(std::string_view(natsMsg_GetData(message),
                                          static_cast<std::size_t>(natsMsg_GetDataLength(message))),
                         meta->Sequence.Stream);
    jsMsgMetaData_Destroy(meta);
  }
  natsMsg_Destroy(message);
}

}  // namespace

std::optional<std::string> JetStream::subscribe_ordered(const std::string& stream,
                                                        const std::string& subject,
                                                        std::uint64_t start_sequence,
                                                        Handler handler) {
  auto subscription = std::make_unique<Subscription>();
  subscription->handler = std::move(handler);
  jsSubOptions options;
  jsSubOptions_Init(&options);
  options.Stream = stream.c_str();
  options.Ordered = true;
  if (start_sequence == 0) {
    options.Config.DeliverPolicy = js_DeliverNew;
  } else {
    options.Config.DeliverPolicy = js_DeliverByStartSequence;
    options.Config.OptStartSeq = start_sequence;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    jsErrCode error = static_cast<jsErrCode>(0);
    const natsStatus status =
        js_Subscribe(&subscription->sub, m_impl->js, subject.c_str(), on_message,
                     subscription.get(), nullptr, &options, &error);
    if (status == NATS_OK) {
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return fmt::format("cannot consume stream {}: {}", stream, describe(status));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  // Closing waits for its thread to leave the handler; one that is closed already has.
  if (natsSubscription_SetOnCompleteCB(
          subscription->sub, [](void* closure) { static_cast<Latch*>(closure)->open(); },
          &subscription->done) != NATS_OK) {
    subscription->done.open();
  }
  // No messages dropped for a slow handler: flow control paces the server instead.
  natsSubscription_SetPendingLimits(subscription->sub, -1, -1);
  m_impl->subscriptions.push_back(std::move(subscription));
  return std::nullopt;
}

}  // namespace likematch::io
