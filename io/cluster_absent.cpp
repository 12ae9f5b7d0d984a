// io::JetStream and io::RocksStore in the build that links neither libnats nor RocksDB: the
// `likematch` binary (cli/CMakeLists.txt). It hands worker and serve --jetstream to
// likematch-cluster before anything runs (cli/cluster_exec.hpp), so none of this is reached;
// were it reached, each entry says why it cannot serve instead of failing to link or crashing.
#include "io/jetstream.hpp"
#include "io/rocksdb_store.hpp"

namespace rocksdb {
// Never made here (a Batch of this build holds none); complete only so that the unique_ptr
// that would hold one can be destroyed. RocksDB's own is not in this binary.
class DB {};
class WriteBatch {};
}  // namespace rocksdb

namespace likematch::io {

namespace {
const char* const k_absent =
    "this build of likematch has no cluster support (libnats, RocksDB): likematch-cluster has";
}  // namespace

struct JetStream::Impl {};

JetStream::JetStream(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
JetStream::~JetStream() = default;

std::variant<std::unique_ptr<JetStream>, std::string> JetStream::connect(
    const JetStreamOptions& /*options*/) {
  return std::string(k_absent);
}

// No JetStream of this build exists: connect gives none.
std::optional<std::string> JetStream::ensure_stream(const std::string& /*name*/,
                                                    const std::string& /*subject*/) {
  return std::string(k_absent);
}

std::optional<std::string> JetStream::publish(const std::string& /*subject*/,
                                              std::string_view /*bytes*/,
                                              std::chrono::milliseconds /*patience*/) {
  return std::string(k_absent);
}

std::optional<std::string> JetStream::subscribe_ordered(const std::string& /*stream*/,
                                                        const std::string& /*subject*/,
                                                        std::uint64_t /*start_sequence*/,
                                                        Handler /*handler*/) {
  return std::string(k_absent);
}

std::vector<std::string> split_urls(std::string_view /*urls*/) {
  return {};
}

RocksStore::RocksStore(rocksdb::DB* db) : m_db(db) {}
RocksStore::~RocksStore() = default;

std::variant<std::unique_ptr<RocksStore>, std::string> RocksStore::open(
    const std::string& /*dir*/) {
  return std::string(k_absent);
}

// No RocksStore of this build exists: open gives none.
void RocksStore::for_each(
    const std::function<void(std::string_view key, std::string_view value)>& /*visit*/) const {}

std::optional<std::string> RocksStore::write(Batch& /*batch*/) {
  return std::string(k_absent);
}

RocksStore::Batch::Batch() = default;
RocksStore::Batch::~Batch() = default;
void RocksStore::Batch::put(std::string_view /*key*/, std::string_view /*value*/) {}
void RocksStore::Batch::erase(std::string_view /*key*/) {}
void RocksStore::Batch::erase_range(std::string_view /*first*/, std::string_view /*last*/) {}

}  // namespace likematch::io
