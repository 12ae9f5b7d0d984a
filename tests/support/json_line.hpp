#pragma once

// One line of --log-format json read back: a flat object of strings, numbers, true, false and
// null (the log writes no nested value). Enough to check what each line carries, no more.

#include <cctype>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace likematch::test {

struct JsonValue {
  bool is_string = false;
  std::string text;  // a string's characters (escapes undone), else the literal ("12", "true")
};

using JsonObject = std::map<std::string, JsonValue>;

namespace json_detail {

inline void skip_spaces(std::string_view& in) {
  while (!in.empty() && std::isspace(static_cast<unsigned char>(in.front())) != 0) {
    in.remove_prefix(1);
  }
}

// A string at the start of `in` (its opening quote first); \uXXXX is kept as written.
inline std::optional<std::string> string_at(std::string_view& in) {
  if (in.empty() || in.front() != '"') {
    return std::nullopt;
  }
  in.remove_prefix(1);
  std::string text;
  while (!in.empty() && in.front() != '"') {
    if (in.front() == '\\') {
      if (in.size() < 2) {
        return std::nullopt;
      }
      const char escaped = in[1];
      in.remove_prefix(2);
      switch (escaped) {
        case 'n':
          text += '\n';
          break;
        case 't':
          text += '\t';
          break;
        case 'r':
          text += '\r';
          break;
        case 'u':
          text += "\\u";
          break;
        default:
          text += escaped;
      }
      continue;
    }
    text += in.front();
    in.remove_prefix(1);
  }
  if (in.empty()) {
    return std::nullopt;
  }
  in.remove_prefix(1);
  return text;
}

}  // namespace json_detail

// The line's members, or nullopt if it is not one flat JSON object.
inline std::optional<JsonObject> parse_json_line(std::string_view in) {
  using namespace json_detail;
  JsonObject object;
  skip_spaces(in);
  if (in.empty() || in.front() != '{') {
    return std::nullopt;
  }
  in.remove_prefix(1);
  skip_spaces(in);
  bool first = true;
  while (!in.empty() && in.front() != '}') {
    if (!first) {
      if (in.front() != ',') {
        return std::nullopt;
      }
      in.remove_prefix(1);
      skip_spaces(in);
    }
    first = false;
    const auto key = string_at(in);
    skip_spaces(in);
    if (!key || in.empty() || in.front() != ':') {
      return std::nullopt;
    }
    in.remove_prefix(1);
    skip_spaces(in);
    JsonValue value;
    if (!in.empty() && in.front() == '"') {
      const auto text = string_at(in);
      if (!text) {
        return std::nullopt;
      }
      value = {true, *text};
    } else {
      std::size_t end = 0;
      while (end < in.size() && in[end] != ',' && in[end] != '}' &&
             std::isspace(static_cast<unsigned char>(in[end])) == 0) {
        ++end;
      }
      value.text = std::string(in.substr(0, end));
      in.remove_prefix(end);
      if (value.text.empty() || value.text.front() == '{' || value.text.front() == '[') {
        return std::nullopt;
      }
    }
    if (!object.emplace(*key, value).second) {
      return std::nullopt;  // a key twice
    }
    skip_spaces(in);
  }
  if (in.empty()) {
    return std::nullopt;
  }
  in.remove_prefix(1);
  skip_spaces(in);
  if (!in.empty()) {
    return std::nullopt;
  }
  return object;
}

}  // namespace likematch::test
