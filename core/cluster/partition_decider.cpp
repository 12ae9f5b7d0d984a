#include "core/cluster/partition_decider.hpp"

#include <algorithm>
#include <cstring>

#include "core/engine/memory/mix.hpp"

namespace likematch {

namespace {

// Keys: "m" the partition's meta; "p" + the pair's two ids (big-endian) its rule state;
// "w" + sequence number (big-endian, so that key order is sequence order) a waiting event.
constexpr char k_meta_key[] = "m";
constexpr char k_pair_prefix = 'p';
constexpr char k_waiting_prefix = 'w';

void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>(value >> (8 * i)));
  }
}

std::uint64_t get_u64(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    value |= std::uint64_t{static_cast<unsigned char>(bytes[at + i])} << (8 * i);
  }
  return value;
}

void put_big_endian(std::string& out, std::uint64_t value) {
  for (int i = 7; i >= 0; --i) {
    out.push_back(static_cast<char>(value >> (8 * i)));
  }
}

std::uint64_t get_big_endian(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    value = value << 8 | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

std::string event_key(char prefix, std::uint64_t seq) {
  std::string key(1, prefix);
  put_big_endian(key, seq);
  return key;
}

std::string pair_key(std::uint64_t lo, std::uint64_t hi) {
  std::string key(1, k_pair_prefix);
  put_big_endian(key, lo);
  put_big_endian(key, hi);
  return key;
}

std::string state_value(const PairRuleState& state) {
  const auto bytes = state.to_bytes();
  return std::string(bytes.begin(), bytes.end());
}

PairRuleState read_state(std::string_view value) {
  std::array<std::uint8_t, PairRuleState::k_bytes> bytes{};
  std::copy_n(value.begin(), bytes.size(), bytes.begin());
  return PairRuleState::from_bytes(bytes);
}

std::uint64_t key_seq(std::string_view key) {
  return get_big_endian(key, 1);
}

std::string event_value(const Event& event) {
  std::string value(1, static_cast<char>(event.type));
  put_u64(value, event.from);
  put_u64(value, event.to);
  return value;
}

Event read_event(std::string_view key, std::string_view value) {
  Event event;
  event.seq = key_seq(key);
  event.type = static_cast<LikeType>(value[0]);
  event.from = get_u64(value, 1);
  event.to = get_u64(value, 9);
  return event;
}

}  // namespace

void apply_write(StoreContents& contents, const StoreWrite& write) {
  for (const StoreOp& op : write) {
    switch (op.kind) {
      case StoreOp::Kind::put:
        contents[op.key] = op.value;
        break;
      case StoreOp::Kind::erase:
        contents.erase(op.key);
        break;
      case StoreOp::Kind::erase_range:
        contents.erase(contents.lower_bound(op.key), contents.lower_bound(op.value));
        break;
    }
  }
}

std::size_t PartitionDecider::PairHash::operator()(const PairKey& key) const {
  return static_cast<std::size_t>(mix_pair(key.lo, key.hi));
}

void PartitionDecider::restore(const StoreContents& contents) {
  *this = PartitionDecider();
  for (const auto& [key, value] : contents) {
    if (key.size() == 17 && key[0] == k_pair_prefix && value.size() == PairRuleState::k_bytes) {
      m_pairs.emplace(PairKey{get_big_endian(key, 1), get_big_endian(key, 9)}, read_state(value));
    } else if (key.size() == 9 && key[0] == k_waiting_prefix) {
      const Event event = read_event(key, value);
      m_waiting.emplace(event.seq, event);
    } else if (key == k_meta_key && value.size() == 41) {
      m_key.run = get_u64(value, 0);
      m_key.session = get_u64(value, 8);
      m_rules = k_rule_variants[static_cast<std::size_t>(value[16]) % k_rule_variants.size()];
      m_applied = get_u64(value, 17);
      m_batch = get_u64(value, 25);
      m_decided_up_to = get_u64(value, 33);
    }
  }
}

std::string PartitionDecider::meta() const {
  std::string value;
  put_u64(value, m_key.run);
  put_u64(value, m_key.session);
  value.push_back(static_cast<char>(variant_index(m_rules)));
  put_u64(value, m_applied);
  put_u64(value, m_batch);
  put_u64(value, m_decided_up_to);
  return value;
}

void PartitionDecider::reset(const EventBatch& batch, StoreWrite& write) {
  m_key = batch.key;
  m_rules = batch.rules;
  m_batch = 0;
  m_decided_up_to = 0;
  m_waiting.clear();
  m_pairs.clear();
  for (const char prefix : {k_pair_prefix, k_waiting_prefix}) {
    write.push_back({StoreOp::Kind::erase_range, std::string(1, prefix),
                     std::string(1, static_cast<char>(prefix + 1))});
  }
}

std::vector<std::uint64_t> PartitionDecider::decide_up_to(std::uint64_t watermark,
                                                          StoreWrite& write) {
  std::vector<std::uint64_t> matches;
  const VariantSet wanted = variant_bit(m_rules);
  write.reserve(write.size() + 2 * m_waiting.size() + 1);
  auto it = m_waiting.begin();
  for (; it != m_waiting.end() && it->first <= watermark; ++it) {
    const Event& event = it->second;
    write.push_back({StoreOp::Kind::erase, event_key(k_waiting_prefix, event.seq), {}});
    const PairSide side = pair_side(event);
    const PairKey key{side.lo, side.hi};
    auto pair = m_pairs.find(key);
    if (pair == m_pairs.end()) {
      if (event.type != LikeType::liked) {
        // Only a like changes a pair without state (a withdrawal of nothing leaves nothing):
        // pairs never liked cost nothing, about two thirds of them at the harness's density.
        continue;
      }
      pair = m_pairs.emplace(key, PairRuleState{}).first;
    }
    // The rules' contract: an event's arrival is noted before it is decided. Here events are
    // decided in sequence order, so noting each one just before its decision keeps the pair's
    // arrived bits exactly as the ordered pass would (every earlier event has been noted).
    const PairRuleState arrived = arrive(pair->second, event).state;
    // Every variant's state is kept (track_latest): the session's rules come with its batches.
    const PairStep next = step(arrived, event, /*track_latest=*/true);
    pair->second = next.state;
    if ((next.outcome.variants & wanted) != 0) {
      matches.push_back(event.seq);
    }
    write.push_back({StoreOp::Kind::put, pair_key(side.lo, side.hi), state_value(next.state)});
  }
  m_waiting.erase(m_waiting.begin(), it);
  m_decided_up_to = watermark;
  return matches;
}

std::optional<PartitionDecider::Applied> PartitionDecider::apply(std::uint64_t stream_sequence,
                                                                 const EventBatch& batch) {
  if (stream_sequence <= m_applied) {
    return std::nullopt;
  }
  Applied applied;
  m_applied = stream_sequence;
  if (!(batch.key == m_key)) {
    reset(batch, applied.write);
  }
  // Only the next batch: one numbered lower is a copy (serve republished it), one numbered
  // higher came before an earlier one whose publish failed, and serve publishes that one
  // again, followed by every later one (io::JetStream::publish_async).
  if (batch.number == m_batch + 1) {
    m_batch = batch.number;
    for (const Event& event : batch.events) {
      // The ingest side sends each number once and only below the watermarks that follow.
      if (event.seq > m_decided_up_to && m_waiting.emplace(event.seq, event).second) {
        // Written as waiting even when decided below: the ops apply in order, so the decide
        // step turns it into a decided one within the same write.
        applied.write.push_back(
            {StoreOp::Kind::put, event_key(k_waiting_prefix, event.seq), event_value(event)});
      }
    }
    if (batch.watermark > m_decided_up_to) {
      DecidedBatch decided;
      decided.key = m_key;
      decided.partition = batch.partition;
      decided.matches = decide_up_to(batch.watermark, applied.write);
      decided.decided_up_to = m_decided_up_to;
      applied.decided = std::move(decided);
    }
  }
  applied.write.push_back({StoreOp::Kind::put, k_meta_key, meta()});
  return applied;
}

}  // namespace likematch
