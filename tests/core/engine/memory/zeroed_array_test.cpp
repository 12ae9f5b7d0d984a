#include "core/engine/memory/zeroed_array.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

using likematch::ZeroedArray;

TEST_CASE("a zeroed array keeps its values and reads zero past them through every growth",
          "[zeroed_array]") {
  // From calloc'ed, to mapped with room reserved, to past the reservation (256 MiB): only
  // the bytes written here are ever touched, so the large sizes cost little.
  std::vector<std::size_t> sizes;
  for (std::size_t size = 16; size <= (std::size_t{1} << 30); size *= 4) {
    sizes.push_back(size);
  }
  ZeroedArray<std::uint8_t> array(sizes.front());
  std::vector<std::size_t> written;
  std::size_t size = sizes.front();
  for (const std::size_t next : sizes) {
    if (next != size) {
      array.grow(next);
      size = next;
    }
    INFO("size " << size);
    for (const std::size_t at : written) {
      REQUIRE(array[at] == static_cast<std::uint8_t>(at % 251 + 1));
    }
    // The new part, at its start, middle and end, reads zero; then it is written.
    for (const std::size_t at : {size / 2, size / 2 + 1, size - 1}) {
      REQUIRE(array[at] == 0);
      array[at] = static_cast<std::uint8_t>(at % 251 + 1);
      written.push_back(at);
    }
  }
}

TEST_CASE("a moved zeroed array takes its values along", "[zeroed_array]") {
  for (const std::size_t count : {std::size_t{8}, std::size_t{1} << 20}) {
    ZeroedArray<std::uint64_t> array(count);
    array[count - 1] = 42;
    ZeroedArray<std::uint64_t> moved(std::move(array));
    CHECK(moved[count - 1] == 42);
    ZeroedArray<std::uint64_t> assigned(1);
    assigned = std::move(moved);
    CHECK(assigned[count - 1] == 42);
    CHECK(assigned[0] == 0);
  }
}
