#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace rocksdb {
class DB;
class WriteBatch;
}  // namespace rocksdb

namespace likematch::io {

// A RocksDB database in a directory: read whole in key order, written in atomic batches.
class RocksStore {
 public:
  ~RocksStore();
  RocksStore(const RocksStore&) = delete;
  RocksStore& operator=(const RocksStore&) = delete;

  // Opens (creating if missing) the database in `dir`, or says why not.
  static std::variant<std::unique_ptr<RocksStore>, std::string> open(const std::string& dir);

  void for_each(
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
  // nullopt: written (to the write-ahead log; it survives the process, not the machine).
  std::optional<std::string> write(Batch& batch);

 private:
  explicit RocksStore(rocksdb::DB* db);
  std::unique_ptr<rocksdb::DB> m_db;
};

}  // namespace likematch::io
