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
#include "cli/output_writer.hpp"
#include "cli/progress.hpp"
#include "cli/rule_options.hpp"
#include "cli/shared_options.hpp"
#include "core/rules/reference_matcher.hpp"
#include "io/file_write.hpp"

namespace likematch::cli {

namespace {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// The stream is drawn whole in memory (it is shuffled before it is written).
int too_many(const GenerateOptions& options, const Output& output) {
  print_message(output, out_of_memory(options.generator));
  return k_exit_failure;
}

}  // namespace

void setup_generate(CLI::App& app, GenerateOptions& options) {
  app.description(
      "Write a deterministic stream of like events to standard output, as the harness makes "
      "them, and optionally the matches it should give.");
  app.footer(
      "Examples:\n"
      "  likematch generate --events 1000000 --users 9000 --seed 7 \\\n"
      "      --expected expected.txt > events.txt\n"
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
  if (const auto problem = memory_problem(options.generator, sizeof(Event))) {
    print_message(output, *problem);
    return k_exit_failure;
  }
  std::vector<Event> events;
  try {
    const PhaseNote note(
        output, fmt::format("generating {}", plural(options.generator.events, "event", "events")));
    events = generate_events(options.generator);
  } catch (const std::length_error&) {
    return too_many(options, output);
  } catch (const std::bad_alloc&) {
    return too_many(options, output);
  }

  std::string chunk;
  constexpr std::size_t k_chunk = std::size_t{1} << 20;
  chunk.reserve(k_chunk + 64);
  OutputWriter writer(output);
  for (const Event& event : events) {
    append_line(chunk, event);
    if (chunk.size() >= k_chunk) {
      if (!writer.write(chunk)) {
        break;
      }
      chunk.clear();
    }
  }
  writer.write(chunk);
  // After a reader that left (`| head`) --expected is still written.
  if (const int status = writer.status(); status != k_exit_ok) {
    return status;
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
    if (const std::error_code error = io::write_all(::fileno(file.get()), text)) {
      print_message(output,
                    fmt::format("cannot write {}: {}", options.expected_file, error.message()));
      return k_exit_failure;
    }
  }
  return k_exit_ok;
}

}  // namespace likematch::cli
