#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace likematch::cli {

// The width --help is written for: $COLUMNS when it is a number, else the terminal's width
// when standard output is one, else 80 (a pipe, a file).
std::size_t help_width();

// `text` broken at spaces into lines of at most `width` columns (a word longer than that stands
// alone), every line after the first indented by `indent` spaces; existing line breaks kept.
// The first line starts at `start_column` (where the caller has already written that much).
std::string wrap(std::string_view text, std::size_t width, std::size_t indent = 0,
                 std::size_t start_column = 0);

// --help laid out for a width: descriptions wrapped beside their option's name, or under it
// when the name is too long to leave room; what CLI11 appends to a name ("Excludes: ...",
// "(Env:...)") goes into the description as words, never glued to the name. Example lines
// (indented in a footer) are kept whole, so that they can be copied.
class HelpFormatter : public CLI::Formatter {
 public:
  explicit HelpFormatter(std::size_t width);

  std::string make_description(const CLI::App* app) const override;
  std::string make_footer(const CLI::App* app) const override;
  std::string make_subcommand(const CLI::App* sub) const override;
  std::string make_option(const CLI::Option* option, bool is_positional) const override;
  std::string make_option_opts(const CLI::Option* option) const override;
  std::string make_option_desc(const CLI::Option* option) const override;

 private:
  // "  NAME    DESCRIPTION", wrapped.
  std::string row(const std::string& name, const std::string& description) const;

  std::size_t m_width;
};

}  // namespace likematch::cli
