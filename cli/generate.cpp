#include "cli/generate.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

#include "cli/exit_status.hpp"
#include "cli/messages.hpp"
#include "cli/option_values.hpp"
#include "cli/rule_options.hpp"
#include "cli/shared_options.hpp"
#include "core/rules/reference_matcher.hpp"

namespace likematch::cli {

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

bool write_all(std::FILE* file, const std::string& bytes) {
  return std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
}

// The stream is drawn whole in memory (it is shuffled before it is written).
int too_many(const GenerateOptions& options, const Output& output) {
  print_message(output,
                fmt::format("{} do not fit in memory ({} bytes each are held at once to "
                            "shuffle them)",
                            plural(options.generator.events, "event", "events"), sizeof(Event)));
  return k_exit_failure;
}

}  // namespace

void setup_generate(CLI::App& app, GenerateOptions& options) {
  app.description(
      "Write a deterministic stream of like events to standard output, as the harness makes "
      "them, and optionally the matches it should give.");
  app.footer(
      "Examples:\n"
      "  likematch generate --events 1000000 --users 9000 --seed 7 --expected expected.txt "
      "> events.txt\n"
      "  likematch generate --events 20 --users 3 --shuffle window:4 --self-likes");
  add_generator_options(app, options.generator, /*arrival=*/true);
  app.add_option("--expected", options.expected_file,
                 "Also write the correct match list to this file (reference matcher)")
      ->check(non_empty())
      ->type_name("FILE");
  add_rule_options(app, options.rules);
}

int run_generate(const GenerateOptions& options, const Output& output) {
  if (const auto problem = check(options.generator)) {
    print_message(output, generator_problem(*problem));
    return k_exit_usage;
  }
  std::vector<Event> events;
  try {
    events = generate_events(options.generator);
  } catch (const std::length_error&) {
    return too_many(options, output);
  } catch (const std::bad_alloc&) {
    return too_many(options, output);
  }

  std::string chunk;
  constexpr std::size_t k_chunk = std::size_t{1} << 20;
  chunk.reserve(k_chunk + 64);
  bool written = true;
  for (const Event& event : events) {
    append_line(chunk, event);
    if (chunk.size() >= k_chunk) {
      written = write_all(output.out, chunk);
      if (!written) {
        break;
      }
      chunk.clear();
    }
  }
  if (written) {
    written = write_all(output.out, chunk) && std::fflush(output.out) == 0;
  }
  // A reader that left (`| head`) has all it wanted, as with any filter; --expected is
  // still written.
  if (!written && errno != EPIPE) {
    print_message(output, fmt::format("cannot write standard output: {}", std::strerror(errno)));
    return k_exit_failure;
  }

  if (!options.expected_file.empty()) {
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(options.expected_file.c_str(), "w"));
    if (!file) {
      print_message(
          output, fmt::format("cannot write {}: {}", options.expected_file, std::strerror(errno)));
      return k_exit_failure;
    }
    std::string text;
    for (const Match& match : reference_matches(events, options.rules)) {
      text += fmt::format("{}\n", match.seq);
    }
    if (!write_all(file.get(), text) || std::fflush(file.get()) != 0) {
      print_message(
          output, fmt::format("cannot write {}: {}", options.expected_file, std::strerror(errno)));
      return k_exit_failure;
    }
  }
  return k_exit_ok;
}

}  // namespace likematch::cli
