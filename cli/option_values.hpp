#pragma once

// How every option's value is read: one strict parser for numbers, one for durations, one way
// for names that stand for an enum. A value that does not fit is a usage error that says the
// range, never clamped and never wrapped.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/harness/generator.hpp"

namespace likematch::cli {

// The longest duration any option takes: 1,000,000 s (about 11.6 days), longer than any run
// and far from what a std::chrono time point can hold. Written in --help and the man page.
inline constexpr std::chrono::milliseconds k_max_duration{1'000'000'000};

// The unit a duration option is written in.
enum class DurationUnit { seconds, milliseconds };

// Decimal digits only (leading zeros allowed): no sign, no 0x, no exponent, not empty. On
// success `value` holds the number, which is within [min, max]; otherwise the message
// ("must be a whole number from 1 to 65535, got '0x10'").
[[nodiscard]] std::optional<std::string> parse_number(std::string_view text, std::uint64_t min,
                                                      std::uint64_t max, std::uint64_t& value);

// "1.5", "30", "0.001": decimal digits with an optional fraction, in `unit`, up to
// k_max_duration. Kept to the millisecond, rounded up, so that a positive value never becomes
// 0 (which means "never" to some options). `positive`: 0 is refused.
[[nodiscard]] std::optional<std::string> parse_duration(std::string_view text, DurationUnit unit,
                                                        bool positive,
                                                        std::chrono::milliseconds& value);
// 30000 ms: "30" (seconds) or "30000" (milliseconds); 1500 ms: "1.5".
std::string format_duration(std::chrono::milliseconds value, DurationUnit unit);

// A size in bytes: decimal digits, optionally followed by a binary unit, K, M or G, with or
// without "iB" (64MiB, 64M and 67108864 are the same), any case; from `min` to `max` bytes.
[[nodiscard]] std::optional<std::string> parse_bytes(std::string_view text, std::uint64_t min,
                                                     std::uint64_t max, std::uint64_t& value);

// A size option bound to `field` (see parse_bytes); its help says the range.
CLI::Option* add_bytes(CLI::App& app, const std::string& name, std::uint64_t& field,
                       std::uint64_t min, std::uint64_t max, const std::string& description);

// "full", "none" or "window:K" (K a whole number, at least 1).
[[nodiscard]] std::optional<std::string> parse_shuffle(std::string_view text, Shuffle& shuffle);

// A check for a text option (a host, a path): an empty value would silently mean "none".
CLI::Validator non_empty();

// A transform for an unsigned option: checks the text with parse_number and hands CLI11 the
// number in plain decimal.
CLI::Validator number_in(std::uint64_t min, std::uint64_t max);

// An unsigned option bound to `field`, values from `min` to the field type's largest.
template <typename T>
CLI::Option* add_number(CLI::App& app, const std::string& name, T& field, T min,
                        const std::string& description, T max = std::numeric_limits<T>::max()) {
  static_assert(std::is_unsigned_v<T>);
  return app.add_option(name, field, description)
      ->transform(number_in(min, max))
      ->type_name("N")
      ->capture_default_str();
}

// A duration option bound to `field`; its help says the unit, the maximum and the default.
CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::milliseconds& field,
                          DurationUnit unit, bool positive, const std::string& description);

namespace detail {

// Checks that the text is one of `names` (any case), then maps it through CLI11's
// CheckedTransformer to the enum's number; the message lists the names. (CheckedTransformer
// alone would also take the numbers themselves, and says "Check x value in {...} FAILED".)
CLI::Validator enum_names(const std::vector<std::pair<std::string, int>>& names);

// The same from a table of names: core's EnumNameTable or a cli EnumNames list.
template <typename Names>
CLI::Validator enum_names_of(const Names& names) {
  std::vector<std::pair<std::string, int>> numbers;
  for (const auto& [text, value] : names) {
    numbers.emplace_back(std::string(text), static_cast<int>(value));
  }
  return enum_names(numbers);
}

}  // namespace detail

// The names of an enum cli/ owns; core's enums keep theirs beside them (EnumNameTable).
template <typename Enum>
using EnumNames = std::vector<std::pair<std::string, Enum>>;

// An option whose value names an enum, bound to `field`; `names` is an EnumNameTable or an
// EnumNames. The first name of each value is the one shown as the default.
template <typename Enum, typename Names>
CLI::Option* add_enum(CLI::App& app, const std::string& name, Enum& field, const Names& names,
                      const std::string& description) {
  // Through int: CLI11 2.1 cannot print an enum whose to_string returns a string_view.
  CLI::Option* option =
      app.add_option<Enum, int>(name, field, description)->transform(detail::enum_names_of(names));
  for (const auto& [text, value] : names) {
    if (value == field) {
      option->default_str(std::string(text));
      break;
    }
  }
  return option;
}

// The same for a field that may stay unset (its default comes from elsewhere).
template <typename Enum, typename Names>
CLI::Option* add_enum(CLI::App& app, const std::string& name, std::optional<Enum>& field,
                      const Names& names, const std::string& description) {
  return app
      .add_option_function<int>(
          name, [&field](int value) { field = static_cast<Enum>(value); }, description)
      ->transform(detail::enum_names_of(names));
}

}  // namespace likematch::cli
