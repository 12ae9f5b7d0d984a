#pragma once

#include <cstddef>
#include <optional>
#include <utility>

#include "core/engine/order/ordered_pass.hpp"

namespace likematch {

// The engine's large tables (the ordered pass's ring, pair table and list of cold events) as
// one value, so that they can outlive the engine that grew them.
struct EngineTables {
  OrderedPass pass;

  std::size_t memory_bytes() const { return pass.memory_bytes(); }
};

// Keeps one set of emptied tables between sessions, so that the next session neither faults
// its memory in nor grows into it again: a 1M-event harness run took 0.074 s instead of
// 0.088 s. Tables above `max_bytes` go back to the system instead: a rare huge session should
// not pin hundreds of MiB while the server idles. They grew to about 21 MiB for 1M events,
// 168 MiB for 5M, 336 MiB for 10M (9,000 users) before the matcher's list of cold events,
// which adds up to 8 bytes per waiting event under latest (serve's): about 8 MiB per million.
class TablePool {
 public:
  explicit TablePool(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

  // Empties them here, after the session's last match went out, rather than at the next
  // session's start (a memset of about 1 ms for 1M events, in neither session's time).
  void give(EngineTables tables) {
    if (tables.memory_bytes() > m_max_bytes) {
      m_spare.reset();
      return;
    }
    tables.pass.reset(tables.pass.tracks_latest());
    m_spare = std::move(tables);
  }

  std::optional<EngineTables> take() { return std::exchange(m_spare, std::nullopt); }

  std::size_t bytes() const { return m_spare ? m_spare->memory_bytes() : 0; }

 private:
  std::size_t m_max_bytes;
  std::optional<EngineTables> m_spare;
};

}  // namespace likematch
