#include "cli/partition_state.hpp"

namespace likematch::cli {

std::optional<std::string> RocksReader::get(const std::vector<std::string>& keys,
                                            std::vector<std::optional<std::string>>& values) const {
  return m_store.get(keys, values);
}

std::optional<std::string> RocksReader::scan(
    std::string_view first, std::string_view last, std::size_t limit,
    const std::function<void(std::string_view key, std::string_view value)>& visit) const {
  return m_store.scan(first, last, limit, visit);
}

std::optional<std::string> commit(io::RocksStore& store, const std::vector<StoreWrite>& writes) {
  io::RocksStore::Batch batch;
  for (const StoreWrite& write : writes) {
    for (const StoreOp& op : write) {
      switch (op.kind) {
        case StoreOp::Kind::put:
          batch.put(op.key, op.value);
          break;
        case StoreOp::Kind::erase:
          batch.erase(op.key);
          break;
        case StoreOp::Kind::erase_range:
          batch.erase_range(op.key, op.value);
          break;
      }
    }
  }
  return store.write(batch);
}

}  // namespace likematch::cli
