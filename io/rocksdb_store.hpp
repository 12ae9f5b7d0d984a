#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rocksdb {
class Cache;
class DB;
class WriteBatch;
class WriteBufferManager;
}  // namespace rocksdb

namespace likematch::io {

// What RocksDB may use of memory, shared by every database opened with it: a block cache and
// the memtables (write buffers), the memtables charged to the cache so that together they
// stay near `bytes`. 0: RocksDB's defaults (an 8 MiB cache, 64 MiB memtables per database).
class RocksMemory {
 public:
  explicit RocksMemory(std::size_t bytes, std::size_t databases);
  ~RocksMemory();

 private:
  friend class RocksStore;
  std::size_t m_bytes;
  std::size_t m_memtable_bytes = 0;  // one memtable of one database
  std::shared_ptr<rocksdb::Cache> m_cache;
  std::shared_ptr<rocksdb::WriteBufferManager> m_buffers;
};

// A RocksDB database in a directory: read by key or by range, written in atomic batches.
class RocksStore {
 public:
  ~RocksStore();
  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  // Opens (creating if missing) the database in `dir`, within `memory` if given, or says why
  // not.
  static std::variant<std::unique_ptr<RocksStore>, std::string> open(
      const std::string& dir, const RocksMemory* memory = nullptr);

  // `values[i]` is the value under `keys[i]` (nullopt: none), read in one batch (MultiGet).
  std::optional<std::string> get(const std::vector<std::string>& keys,
                                 std::vector<std::optional<std::string>>& values) const;
  // The keys in [first, last) in key order, the first `limit` of them (0: all).
  std::optional<std::string> scan(
      std::string_view first, std::string_view last, std::size_t limit,
      const std::function<void(std::string_view key, std::string_view value)>& visit) const;

  // Changes applied together or not at all, in the order they were added.
  class Batch {
   public:
    Batch();
    ~Batch();
    void put(std::string_view key, std::string_view value);
    void erase(std::string_view key);
    void erase_range(std::string_view first, std::string_view last);  // [first, last)

   private:
    friend class RocksStore;
    std::unique_ptr<rocksdb::WriteBatch> m_batch;
  };
  // nullopt: written to the write-ahead log, not synced: it survives the process, not the
  // machine (a machine that fails loses the last writes, never a part of one).
  std::optional<std::string> write(Batch& batch);

 private:
  explicit RocksStore(rocksdb::DB* db);
  std::unique_ptr<rocksdb::DB> m_db;
};

}  // namespace likematch::io
