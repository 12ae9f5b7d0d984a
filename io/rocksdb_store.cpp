#include "io/rocksdb_store.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <algorithm>

namespace likematch::io {

namespace {

rocksdb::Slice slice(std::string_view bytes) {
  return {bytes.data(), bytes.size()};
}

// The smallest memtable worth having: below it RocksDB flushes tiny files all the time.
constexpr std::size_t k_min_memtable = 256 << 10;

}  // namespace

RocksMemory::RocksMemory(std::size_t bytes, std::size_t databases) : m_bytes(bytes) {
  if (bytes == 0) {
    return;
  }
  m_cache = rocksdb::NewLRUCache(bytes);
  // Half of it for the memtables, charged to the cache (which then holds fewer blocks):
  // each database has two memtables, one being written while the other is flushed.
  m_buffers = std::make_shared<rocksdb::WriteBufferManager>(bytes / 2, m_cache);
  m_memtable_bytes =
      std::max(k_min_memtable, bytes / 2 / (2 * std::max<std::size_t>(1, databases)));
}

RocksMemory::~RocksMemory() = default;

RocksStore::RocksStore(rocksdb::DB* db) : m_db(db) {}

RocksStore::~RocksStore() = default;

std::variant<std::unique_ptr<RocksStore>, std::string> RocksStore::open(const std::string& dir,
                                                                        const RocksMemory* memory) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::BlockBasedTableOptions table;
  // Pairs never liked have no state: a filter answers most reads of them without a block.
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  if (memory != nullptr && memory->m_bytes != 0) {
    table.block_cache = memory->m_cache;
    // Index and filter blocks inside the cache, so that they count in its bound too.
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    options.write_buffer_manager = memory->m_buffers;
    options.write_buffer_size = memory->m_memtable_bytes;
    options.max_write_buffer_number = 2;
    // The write-ahead log is flushed into tables once it holds a few memtables' worth.
    options.max_total_wal_size = 4 * memory->m_memtable_bytes;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, dir, &db);
  if (!status.ok()) {
    return "cannot open the state in " + dir + ": " + status.ToString();
  }
  return std::unique_ptr<RocksStore>(new RocksStore(db));
}

std::optional<std::string> RocksStore::get(const std::vector<std::string>& keys,
                                           std::vector<std::optional<std::string>>& values) const {
  std::vector<rocksdb::Slice> slices;
  slices.reserve(keys.size());
  for (const std::string& key : keys) {
    slices.push_back(slice(key));
  }
  std::vector<rocksdb::PinnableSlice> found(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  m_db->MultiGet(rocksdb::ReadOptions(), m_db->DefaultColumnFamily(), keys.size(), slices.data(),
                 found.data(), statuses.data());
  values.clear();
  values.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok()) {
      values.emplace_back(found[i].ToString());
    } else if (statuses[i].IsNotFound()) {
      values.emplace_back(std::nullopt);
    } else {
      return "cannot read the state: " + statuses[i].ToString();
    }
  }
  return std::nullopt;
}

std::optional<std::string> RocksStore::scan(
    std::string_view first, std::string_view last, std::size_t limit,
    const std::function<void(std::string_view key, std::string_view value)>& visit) const {
  rocksdb::ReadOptions read;
  const rocksdb::Slice upper = slice(last);
  read.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(m_db->NewIterator(read));
  std::size_t count = 0;
  for (it->Seek(slice(first)); it->Valid() && (limit == 0 || count < limit); it->Next(), ++count) {
    visit(std::string_view(it->key().data(), it->key().size()),
          std::string_view(it->value().data(), it->value().size()));
  }
  if (!it->status().ok()) {
    return "cannot read the state: " + it->status().ToString();
  }
  return std::nullopt;
}

RocksStore::Batch::Batch() : m_batch(std::make_unique<rocksdb::WriteBatch>()) {}
RocksStore::Batch::~Batch() = default;

void RocksStore::Batch::put(std::string_view key, std::string_view value) {
  m_batch->Put(slice(key), slice(value));
}

void RocksStore::Batch::erase(std::string_view key) {
  m_batch->Delete(slice(key));
}

void RocksStore::Batch::erase_range(std::string_view first, std::string_view last) {
  m_batch->DeleteRange(slice(first), slice(last));
}

std::optional<std::string> RocksStore::write(Batch& batch) {
  const rocksdb::Status status = m_db->Write(rocksdb::WriteOptions(), batch.m_batch.get());
  if (!status.ok()) {
    return "cannot write the state: " + status.ToString();
  }
  return std::nullopt;
}

}  // namespace likematch::io
