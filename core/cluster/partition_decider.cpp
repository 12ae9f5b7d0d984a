#include "core/cluster/partition_decider.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace likematch {

namespace {

// Keys: "m" the partition's meta; "p" + the pair's two ids (big-endian) its rule state;
// "w" + sequence number (big-endian, so that key order is sequence order) a waiting event.
constexpr char k_meta_key[] = "m";
constexpr char k_pair_prefix = 'p';
constexpr char k_waiting_prefix = 'w';
constexpr std::size_t k_meta_bytes = 49;

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

std::string event_key(std::uint64_t seq) {
  std::string key(1, k_waiting_prefix);
  put_big_endian(key, seq);
  return key;
}

// The first key after every waiting event up to `seq`: keys are all 9 bytes, so the key of
// `seq` with one more byte (which needs no seq + 1, that may not exist).
std::string waiting_end(std::uint64_t seq) {
  std::string key = event_key(seq);
  key.push_back('\0');
  return key;
}

std::string pair_key(const PairKey& pair) {
  std::string key(1, k_pair_prefix);
  put_big_endian(key, pair.lo);
  put_big_endian(key, pair.hi);
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

std::string event_value(const Event& event) {
  std::string value(1, static_cast<char>(event.type));
  put_u64(value, event.from);
  put_u64(value, event.to);
  return value;
}

bool is_waiting(std::string_view key, std::string_view value) {
  return key.size() == 9 && key[0] == k_waiting_prefix && value.size() == 17;
}

Event read_event(std::string_view key, std::string_view value) {
  Event event;
  event.seq = get_big_endian(key, 1);
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

std::optional<std::string> ContentsReader::get(
    const std::vector<std::string>& keys, std::vector<std::optional<std::string>>& values) const {
  values.clear();
  for (const std::string& key : keys) {
    const auto found = m_contents.find(key);
    values.push_back(found == m_contents.end() ? std::nullopt
                                               : std::optional<std::string>(found->second));
  }
  return std::nullopt;
}

std::optional<std::string> ContentsReader::scan(
    std::string_view first, std::string_view last, std::size_t limit,
    const std::function<void(std::string_view key, std::string_view value)>& visit) const {
  const auto end = m_contents.lower_bound(std::string(last));
  std::size_t count = 0;
  for (auto it = m_contents.lower_bound(std::string(first));
       it != end && (limit == 0 || count < limit); ++it, ++count) {
    visit(it->first, it->second);
  }
  return std::nullopt;
}

DeciderMemory DeciderMemory::from_budget(std::size_t bytes) {
  if (bytes == 0) {
    return {};
  }
  return {std::max<std::size_t>(1, bytes / 4 * 3 / PairCache::k_bytes_per_pair),
          std::max<std::size_t>(1, bytes / 8 / k_bytes_per_waiting),
          std::max<std::size_t>(1, bytes / 8 / k_bytes_per_step_event)};
}

PartitionDecider::PartitionDecider(const StoreReader& store, DeciderMemory memory)
    : m_store(store), m_memory(memory), m_pairs(memory.pairs) {}

std::optional<std::string> PartitionDecider::restore() {
  m_key = SessionKey{};
  m_rules = MatchRules{};
  m_applied = 0;
  forget_session();
  m_touched.clear();
  m_broken = true;  // until it is read whole
  std::vector<std::optional<std::string>> values;
  if (auto error = m_store.get({k_meta_key}, values)) {
    return error;
  }
  // A store without a meta has never been written: no pair has a state.
  m_pairs_whole = !values.front().has_value();
  if (const auto& value = values.front(); value && value->size() == k_meta_bytes) {
    m_key.run = get_u64(*value, 0);
    m_key.session = get_u64(*value, 8);
    m_rules = k_rule_variants[static_cast<std::size_t>((*value)[16]) % k_rule_variants.size()];
    m_applied = get_u64(*value, 17);
    m_batch = get_u64(*value, 25);
    m_decided_up_to = get_u64(*value, 33);
    m_stepping = get_u64(*value, 41);
  }
  // The lowest waiting events are held, as many as memory allows; the rest are counted.
  if (auto error =
          m_store.scan(std::string(1, k_waiting_prefix), std::string(1, k_waiting_prefix + 1), 0,
                       [this](std::string_view key, std::string_view value) {
                         if (!is_waiting(key, value)) {
                           return;
                         }
                         const Event event = read_event(key, value);
                         if (m_memory.waiting == 0 || m_waiting.size() < m_memory.waiting) {
                           m_waiting.emplace(event.seq, event);
                         } else if (m_waiting_on_disk++ == 0) {
                           m_lowest_on_disk = event.seq;
                         }
                       })) {
    return error;
  }
  m_broken = false;
  return std::nullopt;
}

std::string PartitionDecider::meta() const {
  std::string value;
  put_u64(value, m_key.run);
  put_u64(value, m_key.session);
  value.push_back(static_cast<char>(variant_index(m_rules)));
  put_u64(value, m_applied);
  put_u64(value, m_batch);
  put_u64(value, m_decided_up_to);
  put_u64(value, m_stepping);
  return value;
}

// What a partition knows of its session, in memory: nothing (restore and reset say the rest).
void PartitionDecider::forget_session() {
  m_batch = 0;
  m_decided_up_to = 0;
  m_stepping = 0;
  m_waiting.clear();
  m_waiting_on_disk = 0;
  m_lowest_on_disk = 0;
  m_pairs.clear();
}

void PartitionDecider::reset(const EventBatch& batch, StoreWrite& write) {
  m_key = batch.key;
  m_rules = batch.rules;
  forget_session();
  m_pairs_whole = true;
  for (const char prefix : {k_pair_prefix, k_waiting_prefix}) {
    write.push_back({StoreOp::Kind::erase_range, std::string(1, prefix),
                     std::string(1, static_cast<char>(prefix + 1))});
  }
}

// The waiting events in the store alone that the watermark passes join the held ones (the
// store has them in sequence order, committed by earlier messages), a step's worth at most:
// `bound` is then the last one read, below which every waiting event is held.
std::optional<std::string> PartitionDecider::read_back_waiting(std::uint64_t watermark,
                                                               std::uint64_t& bound) {
  bound = watermark;
  if (m_waiting_on_disk == 0 || watermark < m_lowest_on_disk) {
    return std::nullopt;
  }
  const std::uint64_t first = std::max(m_lowest_on_disk, m_decided_up_to + 1);
  std::size_t read = 0;
  std::uint64_t last = 0;
  if (auto error = m_store.scan(event_key(first), waiting_end(watermark), m_memory.step,
                                [&](std::string_view key, std::string_view value) {
                                  ++read;
                                  if (!is_waiting(key, value)) {
                                    return;
                                  }
                                  const Event event = read_event(key, value);
                                  last = event.seq;
                                  if (m_waiting.emplace(event.seq, event).second) {
                                    --m_waiting_on_disk;
                                  }
                                })) {
    return error;
  }
  if (m_memory.step != 0 && read == m_memory.step && last != 0) {
    bound = last;
  }
  // Those left are all above the bound.
  m_lowest_on_disk = bound == std::numeric_limits<std::uint64_t>::max() ? bound : bound + 1;
  return std::nullopt;
}

// The states of the pairs of the step's events (up to `bound`), into m_touched: from memory,
// or from the store in one batched read.
std::optional<std::string> PartitionDecider::read_pairs(std::uint64_t bound) {
  std::vector<PairKey> missing;
  std::vector<std::string> keys;
  std::size_t events = 0;
  for (auto it = m_waiting.begin(); it != m_waiting.end() && it->first <= bound &&
                                    (m_memory.step == 0 || events < m_memory.step);
       ++it, ++events) {
    const PairSide side = pair_side(it->second);
    const PairKey key{side.lo, side.hi};
    const auto [touched, added] = m_touched.try_emplace(key);
    if (!added) {
      continue;
    }
    if (const PairRuleState* held = m_pairs.find(key)) {
      touched->second.state = *held;
    } else {
      missing.push_back(key);
      keys.push_back(pair_key(key));
    }
  }
  if (keys.empty() || (m_pairs_whole && m_pairs.evictions() == 0)) {
    return std::nullopt;
  }
  std::vector<std::optional<std::string>> values;
  if (auto error = m_store.get(keys, values)) {
    return error;
  }
  for (std::size_t i = 0; i < missing.size(); ++i) {
    if (values[i] && values[i]->size() == PairRuleState::k_bytes) {
      m_touched[missing[i]].state = read_state(*values[i]);
    }
  }
  return std::nullopt;
}

std::optional<std::string> PartitionDecider::decide_up_to(std::uint64_t watermark,
                                                          StoreWrite& write,
                                                          std::vector<std::uint64_t>& matches) {
  std::uint64_t bound = watermark;
  if (auto error = read_back_waiting(watermark, bound)) {
    return error;
  }
  if (auto error = read_pairs(bound)) {
    return error;
  }
  const VariantSet wanted = variant_bit(m_rules);
  auto it = m_waiting.begin();
  std::size_t events = 0;
  for (; it != m_waiting.end() && it->first <= bound &&
         (m_memory.step == 0 || events < m_memory.step);
       ++it, ++events) {
    const Event& event = it->second;
    write.push_back({StoreOp::Kind::erase, event_key(event.seq), {}});
    const PairSide side = pair_side(event);
    Touched& pair = m_touched.find(PairKey{side.lo, side.hi})->second;
    if (!pair.state) {
      if (event.type != LikeType::liked) {
        // Only a like changes a pair without state (a withdrawal of nothing leaves nothing):
        // pairs never liked cost nothing, about two thirds of them at the harness's density.
        continue;
      }
      pair.state = PairRuleState{};
    }
    // The rules' contract: an event's arrival is noted before it is decided. Here events are
    // decided in sequence order, so noting each one just before its decision keeps the pair's
    // arrived bits exactly as the ordered pass would (every earlier event has been noted).
    const PairRuleState arrived = arrive(*pair.state, event).state;
    // Every variant's state is kept (track_latest): the session's rules come with its batches.
    const PairStep next = step(arrived, event, /*track_latest=*/true);
    pair.state = next.state;
    pair.changed = true;
    if ((next.outcome.variants & wanted) != 0) {
      matches.push_back(event.seq);
    }
  }
  // Every event up to the bound decided, or the step's share, up to the last one decided.
  m_decided_up_to = it == m_waiting.end() || it->first > bound ? bound : std::prev(it)->first;
  m_waiting.erase(m_waiting.begin(), it);
  return std::nullopt;
}

// Beyond what memory holds, the highest waiting events (decided last) stay in the store alone.
void PartitionDecider::keep_waiting_within_memory() {
  while (m_memory.waiting != 0 && m_waiting.size() > m_memory.waiting) {
    const auto highest = std::prev(m_waiting.end());
    if (m_waiting_on_disk++ == 0 || highest->first < m_lowest_on_disk) {
      m_lowest_on_disk = highest->first;
    }
    m_waiting.erase(highest);
  }
}

std::optional<PartitionDecider::Applied> PartitionDecider::apply(std::uint64_t stream_sequence,
                                                                 const EventBatch& batch) {
  Applied applied;
  if (m_broken) {
    applied.failed = "the partition's state was not read whole: it must be read again";
    return applied;
  }
  if (stream_sequence <= m_applied) {
    return std::nullopt;
  }
  if (!(batch.key == m_key)) {
    reset(batch, applied.write);
  }
  bool done = true;
  // Only the next batch: one numbered lower is a copy (serve republished it), one numbered
  // higher came before an earlier one whose publish failed, and serve publishes that one
  // again, followed by every later one (io::JetStream::publish_async). A message decided in
  // steps is the next batch until its last step.
  if (batch.number == m_batch + 1) {
    if (stream_sequence != m_stepping) {  // its next step: its events are stored already
      for (const Event& event : batch.events) {
        // The ingest side sends each number once and only below the watermarks that follow.
        if (event.seq > m_decided_up_to && m_waiting.emplace(event.seq, event).second) {
          // Written as waiting even when decided below: the ops apply in order, so the decide
          // step turns it into a decided one within the same write.
          applied.write.push_back({StoreOp::Kind::put, event_key(event.seq), event_value(event)});
        }
      }
    }
    if (batch.watermark > m_decided_up_to) {
      DecidedBatch decided;
      decided.key = m_key;
      decided.partition = batch.partition;
      if (auto error = decide_up_to(batch.watermark, applied.write, decided.matches)) {
        m_broken = true;
        applied.failed = std::move(error);
        return applied;
      }
      decided.decided_up_to = m_decided_up_to;
      applied.decided = std::move(decided);
      done = m_decided_up_to == batch.watermark;
    }
    keep_waiting_within_memory();
    if (done) {
      m_batch = batch.number;
    }
  }
  // A message decided in steps counts as applied with its last one.
  m_stepping = done ? 0 : stream_sequence;
  if (done) {
    m_applied = stream_sequence;
  }
  applied.more = !done;
  // The pairs' new states go to the store; what was read or changed is held from now on.
  for (const auto& [key, pair] : m_touched) {
    if (pair.state) {
      if (pair.changed) {
        applied.write.push_back({StoreOp::Kind::put, pair_key(key), state_value(*pair.state)});
      }
      m_pairs.put(key, *pair.state);
    }
  }
  m_touched.clear();
  applied.write.push_back({StoreOp::Kind::put, k_meta_key, meta()});
  return applied;
}

}  // namespace likematch
