#pragma once

// An enum's names in one table beside the enum: to_string reads it, and cli/ parses and prints
// the enum's options through it, so each word is written once.

#include <array>
#include <cstddef>
#include <string_view>

namespace likematch {

template <typename Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

template <typename Enum, std::size_t N>
using EnumNameTable = std::array<EnumName<Enum>, N>;

// The name of `value` in `names`, "?" if the table lacks it.
template <typename Enum, std::size_t N>
constexpr std::string_view name_of(const EnumNameTable<Enum, N>& names, Enum value) {
  for (const EnumName<Enum>& entry : names) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return "?";
}

}  // namespace likematch
