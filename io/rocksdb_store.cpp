#include "io/rocksdb_store.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

namespace likematch::io {

namespace {

rocksdb::Slice slice(std::string_view bytes) {
  return {bytes.data(), bytes.size()};
}

}  // namespace

RocksStore::RocksStore(rocksdb::DB* db) : m_db(db) {}

RocksStore::~RocksStore() = default;

std::variant<std::unique_ptr<RocksStore>, std::string> RocksStore::open(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status status = rocksdb::DB::Open(options, dir, &db);
  if (!status.ok()) {
    return "cannot open the state in " + dir + ": " + status.ToString();
  }
  return std::unique_ptr<RocksStore>(new RocksStore(db));
}

void RocksStore::for_each(
    const std::function<void(std::string_view key, std::string_view value)>& visit) const {
  std::unique_ptr<rocksdb::Iterator> it(m_db->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    visit(std::string_view(it->key().data(), it->key().size()),
          std::string_view(it->value().data(), it->value().size()));
  }
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
