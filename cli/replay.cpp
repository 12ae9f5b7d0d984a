#include "cli/replay.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "cli/exit_status.hpp"
#include "cli/messages.hpp"
#include "cli/option_values.hpp"
#include "cli/output_writer.hpp"
#include "cli/rule_options.hpp"
#include "cli/rule_report.hpp"
#include "cli/rule_words.hpp"
#include "cli/shared_options.hpp"
#include "core/engine/engine.hpp"
#include "core/rules/rule_comparison.hpp"
#include "io/stream_reader.hpp"

namespace likematch::cli {

namespace {

// Maps the engine's stream-wide line numbers back to FILE:LINE. The files are one stream, so
// a line may begin in one file and end in the next: it is named where it begins, and the
// next file's lines are numbered as an editor shows them.
class LineNames {
 public:
  void start_file(const std::string& path, const LineReader& reader) {
    m_files.push_back({input_name(path), reader.lines() + 1, reader.in_line()});
  }

  std::string where(std::uint64_t line) const {
    if (line == 0 || m_files.empty()) {
      return "end of input";
    }
    for (auto it = m_files.rbegin(); it != m_files.rend(); ++it) {
      if (line > it->first_line || (line == it->first_line && !it->continues)) {
        return fmt::format("{}:{}", it->name, line - it->first_line + 1);
      }
    }
    return fmt::format("{}:{}", m_files.front().name, line);
  }

 private:
  struct File {
    std::string name;
    std::uint64_t first_line;  // the stream's number of the line the file's first byte is in
    bool continues;            // that line began in an earlier file
  };
  std::vector<File> m_files;
};

// Writes matches as they are decided and warnings as they come. A failed write of the
// matches stops the engine (reading on would be for nothing); a failed write of a warning
// never does: matches must not be lost to a failing diagnostic channel.
class ReplaySink : public EngineSink {
 public:
  ReplaySink(const ReplayOptions& options, const Output& output, const LineNames& names)
      : m_options(options), m_output(output), m_names(names) {}

  void on_match(const Match& match) override {
    if (m_options.compare_rules) {
      return;  // the report at the end replaces the list
    }
    if (m_options.format == ReplayFormat::json) {
      fmt::format_to(std::back_inserter(m_pending),
                     R"({{"seq":{},"from":{},"to":{},"answering_seq":{}}})"
                     "\n",
                     match.seq, match.from, match.to, match.answering_seq);
    } else if (m_options.explain) {
      // The event that completes the match, then the like it answers.
      fmt::format_to(std::back_inserter(m_pending),
                     "{} LIKE_LIKED {}->{}, answering {}->{} at {}\n", match.seq, match.from,
                     match.to, match.to, match.from, match.answering_seq);
    } else {
      fmt::format_to(std::back_inserter(m_pending), "{}\n", match.seq);
    }
  }

  Flow on_warning(const Warning& warning) override {
    ++m_warnings;
    // The gap report sums up the input's end: shown past the cap, but not when warnings are
    // silenced (--max-warnings 0). Under --strict the warning is the error that stops it.
    const bool summary = warning.kind == WarningKind::gaps && m_options.max_warnings > 0;
    if (m_options.strict || summary || m_warnings <= m_options.max_warnings) {
      // The matches decided before the warning go out before it.
      flush();
      const std::string line = fmt::format("{}: {}\n", m_names.where(warning.line),
                                           warning_text(warning, m_options.strict));
      std::fwrite(line.data(), 1, line.size(), m_output.err);
      std::fflush(m_output.err);
    } else {
      ++m_unshown;
    }
    if (m_options.strict) {
      m_strict_stop = true;
    }
    return m_strict_stop || m_writer.failed() ? Flow::stop : Flow::go_on;
  }

  void on_variant_match(const Match& match, VariantSet variants) override {
    if (m_options.compare_rules) {
      m_comparison.on_variant_match(match, variants);
    }
  }

  void on_decided(const Event& event) override { m_comparison.on_decided(event); }

  const RuleComparison& comparison() const { return m_comparison; }
  void append(std::string_view text) { m_pending += text; }

  // Matches go out as soon as they are decided, so that a slow pipe sees them at once.
  // False once a write has failed.
  bool flush() {
    if (m_writer.failed()) {
      return false;
    }
    if (!m_pending.empty()) {
      if (!m_writer.write(m_pending)) {
        return false;
      }
      m_pending.clear();
    }
    return true;
  }

  const OutputWriter& writer() const { return m_writer; }
  bool strict_stop() const { return m_strict_stop; }
  std::uint64_t unshown() const { return m_unshown; }

 private:
  const ReplayOptions& m_options;
  const Output& m_output;
  const LineNames& m_names;
  std::string m_pending;
  std::uint64_t m_warnings = 0;
  std::uint64_t m_unshown = 0;
  OutputWriter m_writer{m_output};
  bool m_strict_stop = false;
  RuleComparison m_comparison;
};

void print_stats(const Output& output, const ReplayOptions& options, const Stats& stats,
                 double seconds) {
  print_message(
      output,
      fmt::format(
          "{}, {}, {} (rule {}), {} ({} oversized), {} ({} conflicting), {} late, {}, "
          "{} after the end, {} missing, largest reorder depth {}, {:.3f} s",
          plural(stats.lines, "line", "lines"), plural(stats.events, "event", "events"),
          plural(stats.matches, "match", "matches"), describe(options.engine.rules),
          plural(stats.malformed, "malformed", "malformed"), stats.oversized,
          plural(stats.duplicates, "duplicate", "duplicates"), stats.conflicting, stats.late,
          plural(stats.misplaced_control, "misplaced control line", "misplaced control lines"),
          stats.after_end, stats.gaps, stats.max_buffered, seconds));
}

}  // namespace

void setup_replay(CLI::App& app, ReplayOptions& options) {
  app.description(
      "Read like events from files or standard input and print the sequence number of every "
      "match, in order, as soon as it is decided.");
  app.footer(
      "Examples:\n"
      "  likematch replay events.txt\n"
      "  tail -f events.txt | likematch replay -\n"
      "  likematch replay --explain --rule latest events.txt\n"
      "  likematch replay --compare-rules --explain recorded-session.txt");
  app.add_option("files", options.files,
                 "Event files, read as one stream in order, joined as cat joins them except "
                 "that a byte-order mark starting a file is skipped; none or '-' is standard "
                 "input")
      ->check(non_empty());
  add_rule_options(app, options.engine.rules);
  CLI::Option* explain = app.add_flag("--explain", options.explain,
                                      "Print each match with the events that made it: "
                                      "'7 LIKE_LIKED 100->300, answering 300->100 at 5'");
  add_enum(app, "--format", options.format,
           EnumNames<ReplayFormat>{{"plain", ReplayFormat::plain}, {"json", ReplayFormat::json}},
           "plain: one sequence number per line; json: one object per line, with seq, from, "
           "to and answering_seq; not with --explain")
      ->type_name("FORMAT");
  CLI::Option* compare = app.add_flag(
      "--compare-rules", options.compare_rules,
      "Instead of the matches, print each rule variant's match count and where their "
      "lists diverge (with --explain, why); not with --rule, --once, --self-like-rule or "
      "--format json");
  // Every variant is shown: a chosen rule would be ignored, so it is refused.
  compare->excludes(app.get_option("--rule"))
      ->excludes(app.get_option("--once"))
      ->excludes(app.get_option("--self-like-rule"));
  app.add_flag("--strict", options.strict,
               "Stop at the first warning (malformed line, duplicate, late event, gap) and exit "
               "65");
  app.add_flag("--stats", options.stats, "Print a summary of the counters on standard error");
  add_limit_options(app, options.engine);
  add_number<std::uint64_t>(app, "--max-warnings", options.max_warnings, 0,
                            "Print at most this many warnings, then count the rest; 0: none "
                            "(--stats still counts them)");
  // JSON carries no explanation and no comparison: refused rather than silently dropped.
  app.callback([&options, explain, compare] {
    if (options.format != ReplayFormat::json) {
      return;
    }
    if (explain->count() > 0) {
      throw CLI::ExcludesError("--format json", "--explain");
    }
    if (compare->count() > 0) {
      throw CLI::ExcludesError("--format json", "--compare-rules");
    }
  });
}

int run_replay(const ReplayOptions& options, const Output& output) {
  const auto started = std::chrono::steady_clock::now();
  LineNames names;
  ReplaySink sink(options, output, names);
  EngineOptions engine_options = options.engine;
  engine_options.observe_events = options.compare_rules;
  engine_options.all_variants = options.compare_rules;
  Engine engine(engine_options, sink);
  io::StreamReader reader;
  std::vector<std::string> files = options.files;
  if (files.empty()) {
    files.push_back("-");
  }

  int status = k_exit_ok;
  for (const std::string& file : files) {
    if (engine.stopped() || sink.writer().failed()) {
      break;
    }
    names.start_file(file, engine.reader());
    engine.next_file();
    const std::optional<std::string> error = reader.read(file, [&](std::string_view bytes) {
      engine.feed(bytes);
      return sink.flush() && !engine.stopped();
    });
    if (error) {
      print_message(output, file == "-" ? fmt::format("standard input: {}", *error) : *error);
      status = k_exit_failure;
    }
  }
  engine.finish();
  if (options.compare_rules && !engine.stopped()) {
    sink.append(format_rule_report(sink.comparison(), options.explain));
  }
  sink.flush();
  // Under --strict the input's error decides the status, whatever happened to the output.
  if (sink.writer().failed() && !sink.strict_stop()) {
    return sink.writer().status();
  }
  if (sink.unshown() != 0 && options.max_warnings != 0) {
    print_message(output, fmt::format("{} not shown (--max-warnings N shows up to N)",
                                      plural(sink.unshown(), "more warning", "more warnings")));
  }
  // Also after --strict stopped the input: the counters say how far it got.
  if (options.stats) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    print_stats(output, options, engine.stats(), elapsed.count());
  }
  return sink.strict_stop() ? k_exit_data_error : status;
}

}  // namespace likematch::cli
