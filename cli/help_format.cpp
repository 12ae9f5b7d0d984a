#include "cli/help_format.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace likematch::cli {

namespace {

constexpr std::size_t k_default_width = 80;
// Narrower than this, the descriptions would be a word a line; wider, lines are hard to read.
constexpr std::size_t k_min_width = 40;
constexpr std::size_t k_max_width = 200;
// Where descriptions start, as CLI11 lays them out.
constexpr std::size_t k_name_column = 30;

std::string append_words(std::string description, const std::string& words) {
  if (words.empty()) {
    return description;
  }
  return description.empty() ? words : description + " " + words;
}

}  // namespace

std::size_t help_width() {
  std::size_t width = 0;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
    const std::string_view text(columns);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), width);
    if (error != std::errc() || end != text.data() + text.size()) {
      width = 0;
    }
  }
  if (width == 0 && ::isatty(STDOUT_FILENO) == 1) {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
      width = size.ws_col;
    }
  }
  if (width == 0) {
    return k_default_width;
  }
  return std::clamp(width, k_min_width, k_max_width);
}

std::string wrap(std::string_view text, std::size_t width, std::size_t indent,
                 std::size_t start_column) {
  std::string out;
  std::size_t column = start_column;
  bool line_start = true;
  const auto new_line = [&] {
    out += '\n';
    out.append(indent, ' ');
    column = indent;
    line_start = true;
  };
  std::size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\n') {
      new_line();
      ++at;
      continue;
    }
    if (text[at] == ' ') {
      ++at;
      continue;
    }
    const std::size_t end = std::min(text.find_first_of(" \n", at), text.size());
    const std::string_view word = text.substr(at, end - at);
    if (!line_start && column + 1 + word.size() > width) {
      new_line();
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
    at = end;
  }
  return out;
}

HelpFormatter::HelpFormatter(std::size_t width) : m_width(width) {
  column_width(k_name_column);
}

std::string HelpFormatter::make_description(const CLI::App* app) const {
  const std::string& description = app->get_description();
  return description.empty() ? std::string() : wrap(description, m_width) + "\n";
}

std::string HelpFormatter::make_footer(const CLI::App* app) const {
  std::istringstream lines(app->get_footer());
  std::string out;
  for (std::string line; std::getline(lines, line);) {
    // An example, indented: kept whole.
    out += (line.starts_with(' ') ? line : wrap(line, m_width)) + "\n";
  }
  return out;
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
  return row(sub->get_display_name(true), sub->get_description());
}

std::string HelpFormatter::make_option(const CLI::Option* option, bool is_positional) const {
  return row(make_option_name(option, is_positional) + make_option_opts(option),
             make_option_desc(option));
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  std::string opts;
  if (option->get_type_size() != 0) {
    if (!option->get_type_name().empty()) {
      opts += " " + option->get_type_name();
    }
    if (!option->get_default_str().empty()) {
      opts += "=" + option->get_default_str();
    }
    if (option->get_expected_max() == CLI::detail::expected_max_vector_size) {
      opts += " ...";
    }
  }
  return opts;
}

std::string HelpFormatter::make_option_desc(const CLI::Option* option) const {
  std::string description = option->get_description();
  if (!option->get_envname().empty()) {
    description = append_words(description, "[env: " + option->get_envname() + "]");
  }
  if (!option->get_excludes().empty()) {
    // CLI11 keeps them in a set of pointers: sorted by name, the help is the same every run.
    std::vector<std::string> names;
    for (const CLI::Option* other : option->get_excludes()) {
      names.push_back(other->get_name());
    }
    std::sort(names.begin(), names.end());
    description = append_words(description, fmt::format("[not with {}]", fmt::join(names, ", ")));
  }
  return description;
}

std::string HelpFormatter::row(const std::string& name, const std::string& description) const {
  std::string out = "  " + name;
  if (description.empty()) {
    return out + "\n";
  }
  // Two spaces at least between a name and its description; else the description goes under.
  if (out.size() + 2 > k_name_column) {
    out += "\n" + std::string(k_name_column, ' ');
  } else {
    out.append(k_name_column - out.size(), ' ');
  }
  // At least 20 columns for the words, however narrow the terminal.
  const std::size_t width = std::max(m_width, k_name_column + 20);
  return out + wrap(description, width, k_name_column, k_name_column) + "\n";
}

}  // namespace likematch::cli
