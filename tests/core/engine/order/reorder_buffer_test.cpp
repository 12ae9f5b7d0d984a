#include "core/engine/order/reorder_buffer.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "core/harness/random.hpp"

using likematch::Event;
using likematch::LikeType;
using likematch::ReorderBuffer;
using Insert = ReorderBuffer::Insert;

namespace {

constexpr std::uint64_t k_max = UINT64_MAX;

Event like(std::uint64_t seq, std::uint64_t from = 1, std::uint64_t to = 2) {
  return Event{seq, LikeType::liked, from, to};
}

std::vector<std::uint64_t> drain_ready(ReorderBuffer& buffer) {
  std::vector<std::uint64_t> out;
  buffer.drain_ready([&](const Event& event) { out.push_back(event.seq); });
  return out;
}

struct Drained {
  std::vector<Event> events;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> gaps;
};

Drained drain_all(ReorderBuffer& buffer) {
  Drained out;
  buffer.drain_all([&](const Event& event) { out.events.push_back(event); },
                   [&](std::uint64_t first, std::uint64_t last) {
                     // A runaway drain must fail here rather than hang the suite.
                     REQUIRE(out.gaps.size() < 100'000);
                     out.gaps.emplace_back(first, last);
                   });
  return out;
}

std::vector<std::uint64_t> seqs(const std::vector<Event>& events) {
  std::vector<std::uint64_t> out;
  for (const Event& event : events) {
    out.push_back(event.seq);
  }
  return out;
}

}  // namespace

TEST_CASE("hands events out in sequence order as soon as their predecessors are in", "[reorder]") {
  ReorderBuffer buffer;
  CHECK(buffer.insert(like(3)) == Insert::accepted);
  CHECK(buffer.insert(like(2)) == Insert::accepted);
  CHECK(drain_ready(buffer).empty());
  CHECK(buffer.size() == 2);
  CHECK(buffer.insert(like(1)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(buffer.next_seq() == 4);
  CHECK(buffer.size() == 0);
  CHECK(buffer.insert(like(5)) == Insert::accepted);
  CHECK(drain_ready(buffer).empty());
  CHECK(buffer.insert(like(4)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{4, 5});
}

TEST_CASE("keeps each event's content", "[reorder]") {
  ReorderBuffer buffer;
  const Event second{2, LikeType::unspecified, 18446744073709551615ULL, 0};
  const Event first{1, LikeType::not_liked, 7, 8};
  buffer.insert(second);
  buffer.insert(first);
  std::vector<Event> out;
  buffer.drain_ready([&](const Event& event) { out.push_back(event); });
  CHECK(out == std::vector<Event>{first, second});
}

TEST_CASE("starts at the given first sequence number", "[reorder]") {
  ReorderBuffer buffer(10);
  CHECK(buffer.insert(like(9)) == Insert::late);
  CHECK(buffer.insert(like(10)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{10});
}

TEST_CASE("tells identical from conflicting duplicates in the ring", "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(5, 1, 2)) == Insert::accepted);
  CHECK(buffer.insert(like(5, 1, 2)) == Insert::duplicate_identical);
  CHECK(buffer.insert(like(5, 1, 3)) == Insert::duplicate_conflicting);
  CHECK(buffer.insert(like(5, 3, 2)) == Insert::duplicate_conflicting);
  CHECK(buffer.insert(Event{5, LikeType::not_liked, 1, 2}) == Insert::duplicate_conflicting);
  CHECK(buffer.size() == 1);
  // The first copy is the one kept.
  const Drained drained = drain_all(buffer);
  CHECK(drained.events == std::vector<Event>{like(5, 1, 2)});
}

TEST_CASE("tells identical from conflicting duplicates far ahead", "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(1'000'000, 1, 2)) == Insert::accepted);
  REQUIRE(buffer.capacity() < 1'000'000);  // it waits outside the ring
  CHECK(buffer.insert(like(1'000'000, 1, 2)) == Insert::duplicate_identical);
  CHECK(buffer.insert(like(1'000'000, 2, 1)) == Insert::duplicate_conflicting);
  CHECK(buffer.insert(like(k_max, 1, 2)) == Insert::accepted);
  CHECK(buffer.insert(like(k_max, 1, 2)) == Insert::duplicate_identical);
  CHECK(buffer.insert(Event{k_max, LikeType::unspecified, 1, 2}) == Insert::duplicate_conflicting);
  CHECK(buffer.size() == 2);
}

TEST_CASE("still detects a duplicate once its original moved from overflow to the ring",
          "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(10'000, 4, 5)) == Insert::accepted);
  // Events 1..9999 arrive: the window reaches 10000 and pulls it into the ring.
  for (std::uint64_t seq = 9'999; seq >= 2; --seq) {
    REQUIRE(buffer.insert(like(seq)) == Insert::accepted);
  }
  CHECK(buffer.insert(like(10'000, 4, 5)) == Insert::duplicate_identical);
  CHECK(buffer.insert(like(10'000, 5, 4)) == Insert::duplicate_conflicting);
  REQUIRE(buffer.insert(like(1)) == Insert::accepted);
  const std::vector<std::uint64_t> out = drain_ready(buffer);
  REQUIRE(out.size() == 10'000);
  CHECK(out.back() == 10'000);
}

TEST_CASE("calls an event below the next expected sequence number late", "[reorder]") {
  ReorderBuffer buffer;
  buffer.insert(like(1));
  buffer.insert(like(2));
  drain_ready(buffer);
  CHECK(buffer.insert(like(1)) == Insert::late);
  CHECK(buffer.insert(like(2, 9, 9)) == Insert::late);
  CHECK(buffer.size() == 0);
}

TEST_CASE("skips and reports the missing sequence numbers at drain_all", "[reorder]") {
  ReorderBuffer buffer;
  for (std::uint64_t seq : {2, 3, 5, 9, 10}) {
    buffer.insert(like(seq));
  }
  const Drained drained = drain_all(buffer);
  CHECK(seqs(drained.events) == std::vector<std::uint64_t>{2, 3, 5, 9, 10});
  using Gap = std::pair<std::uint64_t, std::uint64_t>;
  CHECK(drained.gaps == std::vector<Gap>{{1, 1}, {4, 4}, {6, 8}});
  CHECK(buffer.size() == 0);
  CHECK(buffer.next_seq() == 11);
  CHECK(buffer.insert(like(10)) == Insert::late);
}

TEST_CASE("drains an empty buffer without reporting anything", "[reorder]") {
  ReorderBuffer buffer;
  const Drained drained = drain_all(buffer);
  CHECK(drained.events.empty());
  CHECK(drained.gaps.empty());
}

TEST_CASE("drains events that wait only far ahead", "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(5'000)) == Insert::accepted);
  REQUIRE(buffer.insert(like(90'000)) == Insert::accepted);
  const Drained drained = drain_all(buffer);
  CHECK(seqs(drained.events) == std::vector<std::uint64_t>{5'000, 90'000});
  using Gap = std::pair<std::uint64_t, std::uint64_t>;
  CHECK(drained.gaps == std::vector<Gap>{{1, 4'999}, {5'001, 89'999}});
}

TEST_CASE("does not allocate for the distance to 18446744073709551615", "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(k_max)) == Insert::accepted);
  CHECK(buffer.capacity() <= 4096);
  CHECK(drain_ready(buffer).empty());

  const Drained drained = drain_all(buffer);
  CHECK(seqs(drained.events) == std::vector<std::uint64_t>{k_max});
  using Gap = std::pair<std::uint64_t, std::uint64_t>;
  CHECK(drained.gaps == std::vector<Gap>{{1, k_max - 1}});
  CHECK(buffer.capacity() <= 4096);
  // Nothing can come after the largest sequence number.
  CHECK(buffer.insert(like(k_max)) == Insert::late);
  CHECK(buffer.insert(like(1)) == Insert::late);
}

TEST_CASE("hands out 18446744073709551615 in order and then calls everything late", "[reorder]") {
  ReorderBuffer buffer(k_max - 2);
  REQUIRE(buffer.insert(like(k_max)) == Insert::accepted);
  REQUIRE(buffer.insert(like(k_max - 1)) == Insert::accepted);
  CHECK(drain_ready(buffer).empty());
  REQUIRE(buffer.insert(like(k_max - 2)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{k_max - 2, k_max - 1, k_max});
  CHECK(buffer.insert(like(k_max)) == Insert::late);
  CHECK(buffer.insert(like(1)) == Insert::late);
}

TEST_CASE("grows the ring only in proportion to the events it holds", "[reorder]") {
  ReorderBuffer buffer;
  // Sparse events far apart, sequence number 1 missing: nothing can be handed out.
  std::vector<std::uint64_t> inserted;
  for (std::uint64_t i = 1; i <= 2'000; ++i) {
    const std::uint64_t seq = 1 + i * 1'000;
    REQUIRE(buffer.insert(like(seq)) == Insert::accepted);
    inserted.push_back(seq);
    // The bound the header promises: a small minimum, then a fixed number of slots per
    // buffered event (k_max_slack in reorder_buffer.cpp: 256 slots of 8 bytes).
    REQUIRE(buffer.capacity() <= std::max<std::size_t>(4096, 256 * (buffer.size() + 1)));
  }
  CHECK(buffer.size() == 2'000);
  const Drained drained = drain_all(buffer);
  CHECK(seqs(drained.events) == inserted);
  CHECK(drained.gaps.size() == 2'000);
}

TEST_CASE("hands out a dense window in any arrival order", "[reorder]") {
  // Every event arrives exactly `window` places late: the ring wraps many times.
  for (std::uint64_t window : {1, 2, 7, 4095, 4096, 4097, 10'000}) {
    INFO("window " << window);
    ReorderBuffer buffer;
    std::vector<std::uint64_t> out;
    const std::uint64_t n = 30'000;
    for (std::uint64_t block = 0; block < n; block += window) {
      for (std::uint64_t seq = std::min(n, block + window); seq > block; --seq) {
        REQUIRE(buffer.insert(like(seq)) == Insert::accepted);
      }
      buffer.drain_ready([&](const Event& event) { out.push_back(event.seq); });
    }
    REQUIRE(out.size() == n);
    for (std::uint64_t i = 0; i < n; ++i) {
      REQUIRE(out[i] == i + 1);
    }
    CHECK(buffer.size() == 0);
  }
}

namespace {

// The obvious model of a reorder buffer: an ordered map and the next expected number.
class ModelBuffer {
 public:
  Insert insert(const Event& event) {
    if (event.seq < m_next) {
      return Insert::late;
    }
    const auto [it, inserted] = m_pending.try_emplace(event.seq, event);
    if (inserted) {
      return Insert::accepted;
    }
    return it->second == event ? Insert::duplicate_identical : Insert::duplicate_conflicting;
  }

  std::vector<Event> drain_ready() {
    std::vector<Event> out;
    while (!m_pending.empty() && m_pending.begin()->first == m_next) {
      out.push_back(m_pending.begin()->second);
      m_pending.erase(m_pending.begin());
      ++m_next;
    }
    return out;
  }

  // Everything pending, in order; the buffer is left empty (next is not moved).
  std::vector<Event> take_all() {
    std::vector<Event> out;
    for (const auto& [seq, event] : m_pending) {
      out.push_back(event);
    }
    m_pending.clear();
    return out;
  }

  std::size_t size() const { return m_pending.size(); }
  std::uint64_t next() const { return m_next; }

 private:
  std::map<std::uint64_t, Event> m_pending;
  std::uint64_t m_next = 1;
};

}  // namespace

TEST_CASE("behaves like an ordered map under random inserts at every distance", "[reorder]") {
  likematch::Random random(2718);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    ReorderBuffer buffer;
    ModelBuffer model;
    std::size_t peak = 0;
    const std::uint64_t reach_bits = random.below(20);
    const int operations = 1 + static_cast<int>(random.below(3'000));
    // In odd rounds a rare id of 31 bits or more switches the ring to wide slots midway.
    const auto user = [&random, wide = round % 2 == 1] {
      constexpr std::uint64_t k_edges[] = {0,
                                           (std::uint64_t{1} << 31) - 1,
                                           std::uint64_t{1} << 31,
                                           (std::uint64_t{1} << 32) - 1,
                                           std::uint64_t{1} << 32,
                                           UINT64_MAX};
      return wide && random.below(300) == 0 ? k_edges[random.below(6)] : random.below(3);
    };
    for (int op = 0; op < operations; ++op) {
      // Mostly near the next expected number, sometimes behind it, sometimes far ahead.
      const std::uint64_t ahead = random.below(std::uint64_t{1} << random.below(reach_bits + 1));
      std::uint64_t seq = model.next() + ahead;
      if (random.below(8) == 0 && model.next() > 1) {
        seq = 1 + random.below(model.next() - 1);  // late
      }
      const Event event{seq, static_cast<LikeType>(1 + random.below(3)), user(), user()};
      REQUIRE(buffer.insert(event) == model.insert(event));
      std::vector<Event> out;
      buffer.drain_ready([&](const Event& ready) { out.push_back(ready); });
      REQUIRE(out == model.drain_ready());
      REQUIRE(buffer.size() == model.size());
      REQUIRE(buffer.next_seq() == model.next());
      // The ring never shrinks: its bound follows the most events ever held at once.
      peak = std::max(peak, buffer.size());
      REQUIRE(buffer.capacity() <= std::max<std::size_t>(4096, 256 * (peak + 1)));
    }
    // At the end everything left comes out in order, the holes between reported as gaps.
    const std::vector<Event> left = model.take_all();
    const Drained drained = drain_all(buffer);
    REQUIRE(drained.events == left);
    std::uint64_t expected_gaps = 0;
    std::uint64_t gaps = 0;
    for (std::size_t i = 0; i < left.size(); ++i) {
      const std::uint64_t before = i == 0 ? model.next() : left[i - 1].seq + 1;
      expected_gaps += left[i].seq - before;
    }
    for (const auto& [first, last] : drained.gaps) {
      gaps += last - first + 1;
    }
    CHECK(gaps == expected_gaps);
    CHECK(buffer.size() == 0);
  }
}

TEST_CASE("a cleared buffer behaves like a new one, whatever the previous stream left",
          "[reorder]") {
  likematch::Random random(1618);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    // A previous stream: near and far-ahead numbers, sometimes ids of more than 32 bits,
    // sometimes ending at 2^64-1, sometimes dropped with events still buffered.
    const bool wide = random.below(4) == 0;
    const bool to_the_end = random.below(5) == 0;
    const std::uint64_t reach_bits = random.below(20);
    ReorderBuffer buffer(to_the_end ? k_max - random.below(3'000) : 1);
    const int operations = static_cast<int>(random.below(3'000));
    for (int op = 0; op < operations; ++op) {
      const std::uint64_t ahead = random.below(std::uint64_t{1} << random.below(reach_bits + 1));
      const std::uint64_t seq = buffer.next_seq() + std::min(ahead, k_max - buffer.next_seq());
      const std::uint64_t from = wide && random.below(50) == 0 ? k_max : random.below(3);
      buffer.insert(Event{seq, static_cast<LikeType>(1 + random.below(3)), from, random.below(3)});
      buffer.drain_ready([](const Event&) {});
    }
    const bool drained = random.below(2) == 0;
    if (drained) {
      drain_all(buffer);
    }
    const std::size_t capacity = buffer.capacity();
    const std::uint64_t first = random.below(4) == 0 ? 1 + random.below(1'000) : 1;
    buffer.clear(first);
    CHECK(buffer.size() == 0);
    CHECK(buffer.next_seq() == first);
    // The point of clearing: the ring is kept, unless it went wide.
    CHECK((buffer.capacity() == capacity || (wide && buffer.capacity() == 0)));

    // The next stream gives exactly what a new buffer gives.
    ReorderBuffer fresh(first);
    ModelBuffer model;
    const std::uint64_t next_reach = random.below(20);
    const int next_operations = 1 + static_cast<int>(random.below(3'000));
    for (int op = 0; op < next_operations; ++op) {
      const std::uint64_t ahead = random.below(std::uint64_t{1} << random.below(next_reach + 1));
      std::uint64_t seq = fresh.next_seq() + ahead;
      if (random.below(8) == 0 && fresh.next_seq() > first) {
        seq = first + random.below(fresh.next_seq() - first);  // late
      }
      const std::uint64_t from = random.below(20) == 0 ? k_max - random.below(3) : random.below(3);
      const Event event{seq, static_cast<LikeType>(1 + random.below(3)), from, random.below(3)};
      REQUIRE(buffer.insert(event) == fresh.insert(event));
      std::vector<Event> out;
      std::vector<Event> expected;
      buffer.drain_ready([&](const Event& ready) { out.push_back(ready); });
      fresh.drain_ready([&](const Event& ready) { expected.push_back(ready); });
      REQUIRE(out == expected);
      REQUIRE(buffer.size() == fresh.size());
      REQUIRE(buffer.next_seq() == fresh.next_seq());
    }
    const Drained left = drain_all(buffer);
    const Drained expected = drain_all(fresh);
    REQUIRE(left.events == expected.events);
    REQUIRE(left.gaps == expected.gaps);
  }
}

TEST_CASE("clearing gives back a ring that went wide", "[reorder]") {
  ReorderBuffer buffer;
  REQUIRE(buffer.insert(like(2, std::uint64_t{1} << 32, 1)) == Insert::accepted);
  REQUIRE(buffer.capacity() != 0);
  buffer.clear();
  // Narrow from here on, as new: the inline insert applies again.
  CHECK(buffer.capacity() == 0);
  CHECK(buffer.memory_bytes() == 0);
  CHECK(buffer.insert(like(2)) == Insert::accepted);
  CHECK(buffer.insert(like(1)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("a cleared buffer accepts again what the previous stream had made late", "[reorder]") {
  ReorderBuffer buffer;
  for (std::uint64_t seq = 1; seq <= 5'000; ++seq) {
    REQUIRE(buffer.insert(like(5'001 - seq)) == Insert::accepted);
  }
  REQUIRE(drain_ready(buffer).size() == 5'000);
  REQUIRE(buffer.insert(like(6'000)) == Insert::accepted);  // a stream dropped mid-way
  buffer.clear();
  CHECK(buffer.insert(like(1)) == Insert::accepted);
  // Its slot was emptied: not a duplicate of the previous stream's event.
  CHECK(buffer.insert(like(6'000)) == Insert::accepted);
  CHECK(drain_ready(buffer) == std::vector<std::uint64_t>{1});
  CHECK(buffer.size() == 1);
}
