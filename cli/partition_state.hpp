#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cluster/partition_decider.hpp"
#include "io/rocksdb_store.hpp"

namespace likematch::cli {

// A partition's RocksDB database as the store its decider reads (core knows no RocksDB).
class RocksReader final : public StoreReader {
 public:
  explicit RocksReader(const io::RocksStore& store) : m_store(store) {}
  std::optional<std::string> get(const std::vector<std::string>& keys,
                                 std::vector<std::optional<std::string>>& values) const override;
  std::optional<std::string> scan(
      std::string_view first, std::string_view last, std::size_t limit,
      const std::function<void(std::string_view key, std::string_view value)>& visit)
      const override;

 private:
  const io::RocksStore& m_store;
};

// Commits applied messages' changes to the database in one write, in order, all or none:
// nullopt, or why not.
std::optional<std::string> commit(io::RocksStore& store, const std::vector<StoreWrite>& writes);

}  // namespace likematch::cli
