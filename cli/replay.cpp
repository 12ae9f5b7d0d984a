#include "cli/replay.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "cli/exit_status.hpp"
#include "cli/rule_options.hpp"
#include "cli/rule_report.hpp"
#include "cli/shared_options.hpp"
#include "cli/validators.hpp"
#include "core/engine.hpp"
#include "core/rule_comparison.hpp"
#include "io/stream_reader.hpp"

namespace likematch::cli {

namespace {

// Thrown from the sink under --strict: the rest of the input must not be read.
struct StrictStop {};
// Thrown from the sink when the matches cannot be written: reading on would be for nothing.
struct WriteFailed {
  int error;
};

// Maps the engine's stream-wide line numbers back to FILE:LINE.
class LineNames {
 public:
  void start_file(const std::string& path, std::uint64_t lines_before) {
    m_files.push_back({path == "-" ? std::string("stdin") : path, lines_before});
  }

  std::string where(std::uint64_t line) const {
    if (line == 0 || m_files.empty()) {
      return "end of input";
    }
    for (auto it = m_files.rbegin(); it != m_files.rend(); ++it) {
      if (it->lines_before < line) {
        return fmt::format("{}:{}", it->name, line - it->lines_before);
      }
    }
    return fmt::format("{}:{}", m_files.front().name, line);
  }

 private:
  struct File {
    std::string name;
    std::uint64_t lines_before;
  };
  std::vector<File> m_files;
};

class ReplaySink : public EngineSink {
 public:
  ReplaySink(const ReplayOptions& options, const Output& output, const LineNames& names)
      : m_options(options), m_output(output), m_names(names) {}

  void on_match(const Match& match) override {
    if (m_options.compare_rules) {
      return;  // the report at the end replaces the list
    }
    if (m_options.json) {
      m_pending += fmt::format(R"({{"seq":{},"from":{},"to":{},"answering_seq":{}}})"
                               "\n",
                               match.seq, match.from, match.to, match.answering_seq);
    } else if (m_options.explain) {
      // The event that completes the match, then the like it answers.
      m_pending += fmt::format("{} LIKE_LIKED {}->{}, answering {}->{} at {}\n", match.seq,
                               match.from, match.to, match.to, match.from, match.answering_seq);
    } else {
      m_pending += fmt::format("{}\n", match.seq);
    }
  }

  void on_diagnostic(const Diagnostic& diagnostic) override {
    ++m_warnings;
    const bool always = diagnostic.kind == DiagnosticKind::gaps;
    if (m_options.strict || always || m_options.max_warnings == 0 ||
        m_warnings <= m_options.max_warnings) {
      flush();
      fmt::print(m_output.err, "{}: {}{}\n", m_names.where(diagnostic.line),
                 m_options.strict ? "error: " : "", diagnostic.message);
    } else {
      ++m_unshown;
    }
    if (m_options.strict) {
      flush();
      throw StrictStop{};
    }
  }

  void on_candidate(const Match& match, std::uint8_t variants) override {
    if (m_options.compare_rules) {
      m_comparison.on_candidate(match, variants);
    }
  }

  void on_decided(const Event& event) override { m_comparison.on_decided(event); }

  const RuleComparison& comparison() const { return m_comparison; }
  void append(std::string_view text) { m_pending += text; }

  // Matches go out as soon as they are decided, so that a slow pipe sees them at once.
  void flush() {
    if (!m_pending.empty()) {
      const bool written =
          std::fwrite(m_pending.data(), 1, m_pending.size(), m_output.out) == m_pending.size();
      if (!written || std::fflush(m_output.out) != 0) {
        throw WriteFailed{errno};
      }
      m_pending.clear();
    }
  }

  std::uint64_t unshown() const { return m_unshown; }

 private:
  const ReplayOptions& m_options;
  const Output& m_output;
  const LineNames& m_names;
  std::string m_pending;
  std::uint64_t m_warnings = 0;
  std::uint64_t m_unshown = 0;
  RuleComparison m_comparison;
};

void print_stats(const Output& output, const ReplayOptions& options, const Stats& stats,
                 double seconds) {
  fmt::print(output.err,
             "likematch: {} lines, {} events, {} matches (rule {}), {} malformed ({} oversized), "
             "{} duplicates ({} conflicting), {} late, {} misplaced control, {} missing, "
             "largest reorder depth {}, {:.3f} s\n",
             stats.lines, stats.events, stats.matches, describe(options.rules), stats.malformed,
             stats.oversized, stats.duplicates, stats.conflicting, stats.late,
             stats.misplaced_control, stats.gaps, stats.max_buffered, seconds);
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
                 "Event files, read as one stream in order; none or '-' is standard input");
  add_rule_options(app, options.rules);
  app.add_flag("--explain", options.explain,
               "Print each match with the events that made it: "
               "'7 LIKE_LIKED 100->300, answering 300->100 at 5'");
  app.add_option_function<std::string>(
         "--format", [&options](const std::string& format) { options.json = format == "json"; },
         "plain: one sequence number per line; json: one object per line, "
         "{\"seq\",\"from\",\"to\",\"answering_seq\"} [default: plain]")
      ->check(CLI::IsMember({"plain", "json"}))
      ->type_name("FORMAT");
  app.add_flag("--compare-rules", options.compare_rules,
               "Instead of the matches, print each rule variant's match count and where their "
               "lists part (with --explain, why)");
  app.add_flag("--strict", options.strict,
               "Stop at the first warning (malformed line, duplicate, late event, gap) and exit "
               "65");
  app.add_flag("--stats", options.stats, "Print a summary of the counters on standard error");
  add_limit_options(app, options.max_line_length, options.max_buffered);
  app.add_option("--max-warnings", options.max_warnings,
                 "Print at most this many warnings, then count the rest (0: all)")
      ->check(non_negative())
      ->capture_default_str();
}

int run_replay(const ReplayOptions& options, const Output& output) {
  const auto started = std::chrono::steady_clock::now();
  LineNames names;
  ReplaySink sink(options, output, names);
  EngineOptions engine_options{options.rules};
  engine_options.observe_events = options.compare_rules;
  engine_options.all_variants = options.compare_rules;
  engine_options.max_line_length = options.max_line_length;
  engine_options.max_buffered = options.max_buffered;
  Engine engine(engine_options, sink);
  io::StreamReader reader;
  std::vector<std::string> files = options.files;
  if (files.empty()) {
    files.push_back("-");
  }

  int status = k_exit_ok;
  try {
    for (const std::string& file : files) {
      names.start_file(file, engine.stats().lines);
      engine.start_part();  // each file may begin with a byte order mark
      bool open_line = false;
      const std::optional<std::string> error = reader.read(file, [&](std::string_view bytes) {
        engine.feed(bytes);
        open_line = bytes.back() != '\n';
        sink.flush();
      });
      if (open_line) {
        // A file's end ends its last line: it must not run on into the next file's first.
        engine.feed("\n");
        sink.flush();
      }
      if (error) {
        fmt::print(output.err, "likematch: {}\n", *error);
        status = k_exit_failure;
      }
    }
    engine.finish();
    if (options.compare_rules) {
      sink.append(format_rule_report(sink.comparison(), options.explain));
    }
    sink.flush();
  } catch (const StrictStop&) {
    return k_exit_data_error;
  } catch (const WriteFailed& failed) {
    if (failed.error == EPIPE) {
      // The reader left (`| head`): it has all it wanted, as with any filter.
      return k_exit_ok;
    }
    fmt::print(output.err, "likematch: write failed: {}\n", std::strerror(failed.error));
    return k_exit_failure;
  }
  if (sink.unshown() != 0) {
    fmt::print(output.err, "likematch: {} more warnings not shown (--max-warnings 0 shows all)\n",
               sink.unshown());
  }
  if (options.stats) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    print_stats(output, options, engine.stats(), elapsed.count());
  }
  return status;
}

}  // namespace likematch::cli
