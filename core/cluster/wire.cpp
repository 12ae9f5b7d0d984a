#include "core/cluster/wire.hpp"

#include <fmt/format.h>

#include <cstring>

namespace likematch {

namespace {

constexpr std::uint8_t k_event_batch_version = 1;
constexpr std::uint8_t k_decided_batch_version = 101;
constexpr std::size_t k_event_bytes = 8 + 1 + 8 + 8;

class Writer {
 public:
  void u8(std::uint8_t value) { m_bytes.push_back(static_cast<char>(value)); }
  void u32(std::uint32_t value) { little_endian(value, 4); }
  void u64(std::uint64_t value) { little_endian(value, 8); }
  std::string take() { return std::move(m_bytes); }
  void reserve(std::size_t bytes) { m_bytes.reserve(bytes); }

 private:
  void little_endian(std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
      m_bytes.push_back(static_cast<char>(value >> (8 * i)));
    }
  }
  std::string m_bytes;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_bytes(bytes) {}
  bool u8(std::uint8_t& value) {
    std::uint64_t wide = 0;
    const bool ok = little_endian(wide, 1);
    value = static_cast<std::uint8_t>(wide);
    return ok;
  }
  bool u32(std::uint32_t& value) {
    std::uint64_t wide = 0;
    const bool ok = little_endian(wide, 4);
    value = static_cast<std::uint32_t>(wide);
    return ok;
  }
  bool u64(std::uint64_t& value) { return little_endian(value, 8); }
  std::size_t left() const { return m_bytes.size() - m_at; }

 private:
  bool little_endian(std::uint64_t& value, std::size_t bytes) {
    if (left() < bytes) {
      return false;
    }
    value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      value |= std::uint64_t{static_cast<unsigned char>(m_bytes[m_at + i])} << (8 * i);
    }
    m_at += bytes;
    return true;
  }
  std::string_view m_bytes;
  std::size_t m_at = 0;
};

void write_key(Writer& writer, const SessionKey& key) {
  writer.u64(key.run);
  writer.u64(key.session);
}

bool read_key(Reader& reader, SessionKey& key) {
  return reader.u64(key.run) && reader.u64(key.session);
}

std::uint8_t rules_byte(const MatchRules& rules) {
  return static_cast<std::uint8_t>(variant_index(rules));
}

bool read_rules(std::uint8_t byte, MatchRules& rules) {
  if (byte >= k_rule_variants.size()) {
    return false;
  }
  rules = k_rule_variants[byte];
  return true;
}

bool valid_type(std::uint8_t type) {
  return type >= static_cast<std::uint8_t>(LikeType::liked) &&
         type <= static_cast<std::uint8_t>(LikeType::unspecified);
}

}  // namespace

std::string encode(const EventBatch& batch) {
  Writer writer;
  writer.reserve(64 + batch.events.size() * k_event_bytes);
  writer.u8(k_event_batch_version);
  write_key(writer, batch.key);
  writer.u8(rules_byte(batch.rules));
  writer.u32(batch.partitions);
  writer.u32(batch.partition);
  writer.u64(batch.number);
  writer.u64(batch.watermark);
  writer.u32(static_cast<std::uint32_t>(batch.events.size()));
  for (const Event& event : batch.events) {
    writer.u64(event.seq);
    writer.u8(static_cast<std::uint8_t>(event.type));
    writer.u64(event.from);
    writer.u64(event.to);
  }
  return writer.take();
}

std::string encode(const DecidedBatch& batch) {
  Writer writer;
  writer.reserve(48 + batch.matches.size() * 8);
  writer.u8(k_decided_batch_version);
  write_key(writer, batch.key);
  writer.u32(batch.partition);
  writer.u64(batch.decided_up_to);
  writer.u32(static_cast<std::uint32_t>(batch.matches.size()));
  for (const std::uint64_t match : batch.matches) {
    writer.u64(match);
  }
  return writer.take();
}

std::optional<EventBatch> decode_event_batch(std::string_view bytes, std::string& error) {
  Reader reader(bytes);
  EventBatch batch;
  std::uint8_t version = 0;
  std::uint8_t rules = 0;
  std::uint32_t count = 0;
  if (!reader.u8(version) || version != k_event_batch_version) {
    error = fmt::format("not an event batch of version {}", k_event_batch_version);
    return std::nullopt;
  }
  if (!read_key(reader, batch.key) || !reader.u8(rules) || !read_rules(rules, batch.rules) ||
      !reader.u32(batch.partitions) || !reader.u32(batch.partition) || !reader.u64(batch.number) ||
      !reader.u64(batch.watermark) || !reader.u32(count) ||
      reader.left() != std::size_t{count} * k_event_bytes) {
    error = "an event batch with a broken header";
    return std::nullopt;
  }
  batch.events.resize(count);
  for (Event& event : batch.events) {
    std::uint8_t type = 0;
    reader.u64(event.seq);
    reader.u8(type);
    reader.u64(event.from);
    reader.u64(event.to);
    if (!valid_type(type)) {
      error = fmt::format("an event batch with an event of unknown type {}", type);
      return std::nullopt;
    }
    event.type = static_cast<LikeType>(type);
  }
  return batch;
}

std::optional<DecidedBatch> decode_decided_batch(std::string_view bytes, std::string& error) {
  Reader reader(bytes);
  DecidedBatch batch;
  std::uint8_t version = 0;
  std::uint32_t count = 0;
  if (!reader.u8(version) || version != k_decided_batch_version) {
    error = fmt::format("not a decided batch of version {}", k_decided_batch_version);
    return std::nullopt;
  }
  if (!read_key(reader, batch.key) || !reader.u32(batch.partition) ||
      !reader.u64(batch.decided_up_to) || !reader.u32(count) ||
      reader.left() != std::size_t{count} * 8) {
    error = "a decided batch with a broken header";
    return std::nullopt;
  }
  batch.matches.resize(count);
  for (std::uint64_t& match : batch.matches) {
    reader.u64(match);
  }
  return batch;
}

}  // namespace likematch
