#include "cli/option_values.hpp"

#include <fmt/format.h>

#include <cctype>

namespace likematch::cli {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

// Digits into `value`; false past `limit` (never wraps, however many digits).
bool accumulate(std::string_view digits, std::uint64_t limit, std::uint64_t& value) {
  value = 0;
  for (const char c : digits) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (limit - digit) / 10) {
      return false;
    }
    value = value * 10 + digit;
  }
  return true;
}

std::string lower(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::optional<std::string> parse_number(std::string_view text, std::uint64_t min, std::uint64_t max,
                                        std::uint64_t& value) {
  std::uint64_t parsed = 0;
  if (!all_digits(text) || !accumulate(text, max, parsed) || parsed < min) {
    return fmt::format("must be a whole number from {} to {}, got '{}'", min, max, text);
  }
  value = parsed;
  return std::nullopt;
}

std::optional<std::string> parse_duration(std::string_view text, DurationUnit unit, bool positive,
                                          std::chrono::milliseconds& value) {
  const bool seconds = unit == DurationUnit::seconds;
  const std::uint64_t per_unit = seconds ? 1000 : 1;
  const std::uint64_t max_units = static_cast<std::uint64_t>(k_max_duration.count()) / per_unit;
  const auto refuse = [&] {
    return fmt::format("must be a number of {} {} {}, got '{}'",
                       seconds ? "seconds" : "milliseconds",
                       positive ? "above 0, up to" : "from 0 to", max_units, text);
  };
  const std::size_t point = text.find('.');
  const std::string_view whole = text.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  std::uint64_t units = 0;
  if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction)) ||
      !accumulate(whole, max_units, units)) {
    return refuse();
  }
  // The fraction to the millisecond, rounded up: 0.0001 s is 1 ms, never 0.
  std::uint64_t millis = units * per_unit;
  std::uint64_t scale = per_unit;
  bool rest = false;
  for (const char c : fraction) {
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (scale >= 10) {
      scale /= 10;
      millis += digit * scale;
    } else if (digit != 0) {
      rest = true;
    }
  }
  if (rest) {
    ++millis;
  }
  if (millis > static_cast<std::uint64_t>(k_max_duration.count()) || (positive && millis == 0)) {
    return refuse();
  }
  value = std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(millis));
  return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds value, DurationUnit unit) {
  if (unit == DurationUnit::milliseconds) {
    return fmt::format("{}", value.count());
  }
  std::string text = fmt::format("{}.{:03}", value.count() / 1000, value.count() % 1000);
  while (text.back() == '0') {
    text.pop_back();
  }
  if (text.back() == '.') {
    text.pop_back();
  }
  return text;
}

std::optional<std::string> parse_bytes(std::string_view text, std::uint64_t min, std::uint64_t max,
                                       std::uint64_t& value) {
  const auto refuse = [&] {
    return fmt::format(
        "must be a size in bytes from {} to {}, a whole number with an optional unit K, M or G "
        "(KiB, MiB, GiB: 1024, 1024^2, 1024^3 bytes), got '{}'",
        min, max, text);
  };
  const std::size_t digits = static_cast<std::size_t>(
      std::find_if(text.begin(), text.end(),
                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)) == 0; }) -
      text.begin());
  const std::string unit = lower(std::string(text.substr(digits)));
  std::uint64_t scale = 1;
  if (unit == "k" || unit == "kib") {
    scale = std::uint64_t{1} << 10;
  } else if (unit == "m" || unit == "mib") {
    scale = std::uint64_t{1} << 20;
  } else if (unit == "g" || unit == "gib") {
    scale = std::uint64_t{1} << 30;
  } else if (!unit.empty() && unit != "b") {
    return refuse();
  }
  std::uint64_t count = 0;
  if (!all_digits(text.substr(0, digits)) ||
      !accumulate(text.substr(0, digits), max / scale, count) || count * scale < min) {
    return refuse();
  }
  value = count * scale;
  return std::nullopt;
}

CLI::Option* add_bytes(CLI::App& app, const std::string& name, std::uint64_t& field,
                       std::uint64_t min, std::uint64_t max, const std::string& description) {
  return app.add_option(name, field, description)
      ->transform(CLI::Validator(
          [min, max](std::string& text) {
            std::uint64_t value = 0;
            if (auto error = parse_bytes(text, min, max, value)) {
              return *error;
            }
            text = std::to_string(value);
            return std::string();
          },
          "", "bytes"))
      ->type_name("BYTES");
}

std::optional<std::string> parse_shuffle(std::string_view text, Shuffle& shuffle) {
  const auto refuse = [text] {
    return fmt::format(
        "must be full, none or window:K with K a whole number from 1 to {}, got '{}'",
        std::numeric_limits<std::uint64_t>::max(), text);
  };
  // The kind is a name like any enum's, through the same CheckedTransformer; window:K adds K.
  static const CLI::Validator kinds = detail::enum_names_of(k_shuffle_kind_names);
  const std::size_t colon = text.find(':');
  std::string kind_text(text.substr(0, colon));
  if (!kinds(kind_text).empty()) {
    return refuse();
  }
  const auto kind = static_cast<ShuffleKind>(std::stoi(kind_text));
  const bool has_window = colon != std::string_view::npos;
  if (kind != ShuffleKind::window) {
    if (has_window) {
      return refuse();
    }
    shuffle = Shuffle{kind, 0};
    return std::nullopt;
  }
  std::uint64_t window = 0;
  if (!has_window ||
      parse_number(text.substr(colon + 1), 1, std::numeric_limits<std::uint64_t>::max(), window)) {
    return refuse();
  }
  shuffle = Shuffle{ShuffleKind::window, window};
  return std::nullopt;
}

CLI::Validator non_empty() {
  return CLI::Validator(
      [](const std::string& text) {
        return text.empty() ? std::string("must not be empty") : std::string();
      },
      "", "non-empty");
}

CLI::Validator number_in(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        std::uint64_t value = 0;
        if (auto error = parse_number(text, min, max, value)) {
          return *error;
        }
        text = std::to_string(value);  // CLI11's own reading takes 010 for octal
        return std::string();
      },
      "", "number");
}

CLI::Option* add_duration(CLI::App& app, const std::string& name, std::chrono::milliseconds& field,
                          DurationUnit unit, bool positive, const std::string& description) {
  const bool seconds = unit == DurationUnit::seconds;
  const std::string limit = seconds ? fmt::format("{} s", k_max_duration.count() / 1000)
                                    : fmt::format("{} ms", k_max_duration.count());
  // Through a count of milliseconds: CLI11 cannot read a std::chrono::duration itself.
  return app
      .add_option<std::chrono::milliseconds, std::chrono::milliseconds::rep>(
          name, field, fmt::format("{} (at most {})", description, limit))
      ->transform(CLI::Validator(
          [unit, positive](std::string& text) {
            std::chrono::milliseconds value{};
            if (auto error = parse_duration(text, unit, positive, value)) {
              return *error;
            }
            text = std::to_string(value.count());
            return std::string();
          },
          "", "duration"))
      ->type_name(seconds ? "SECONDS" : "MS")
      ->default_str(format_duration(field, unit));
}

namespace detail {

CLI::Validator enum_names(const std::vector<std::pair<std::string, int>>& names) {
  std::map<std::string, int> map(names.begin(), names.end());
  std::string listed;
  for (std::size_t i = 0; i < names.size(); ++i) {
    listed += i == 0 ? "" : i + 1 == names.size() ? " or " : ", ";
    listed += names[i].first;
  }
  const CLI::Validator checked = CLI::CheckedTransformer(map, CLI::ignore_case);
  return CLI::Validator(
      [map, listed, checked](std::string& text) {
        if (map.count(lower(text)) == 0) {
          return fmt::format("must be {}, got '{}'", listed, text);
        }
        return checked(text);
      },
      "", "name");
}

}  // namespace detail

}  // namespace likematch::cli
