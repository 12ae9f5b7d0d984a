#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <spdlog/common.h>

#include "cli/output.hpp"

namespace spdlog {
class logger;
}

namespace CLI {
class App;
}

namespace likematch::cli {

enum class LogFormat { text, json };

// The levels a log line can have; a line names its level as the first name below ("warning").
// The one level type of the command line: every other (the hub's) is mapped to it.
enum class LogLevel { trace, debug, info, warning, error };

// Whether text lines are coloured: `automatic` when standard error is a terminal and
// $NO_COLOR is unset or empty; the option, when given, decides.
enum class ColorMode { automatic, always, never };

struct LogOptions {
  std::optional<LogLevel> level;  // unset: $LOG_LEVEL (the harness's own variable), else info
  LogFormat format = LogFormat::text;
  ColorMode color = ColorMode::automatic;
};

spdlog::level::level_enum to_spdlog(LogLevel level);

// "2026-12-07T23:05:29.120513Z": the time of JSON log lines and --summary-json records.
std::string utc_timestamp(std::chrono::system_clock::time_point time);

// The names --log-level and LOG_LEVEL take: trace, debug, info, warning (or warn), error.
const std::vector<std::pair<std::string, LogLevel>>& log_level_names();

// A logger on `output.err`: text lines for people ("2026-12-07T23:05:29.120Z info    ..."),
// coloured as LogOptions::color says, or one JSON object per line
// ({"time","level","message", fields...}) for log shippers; times in UTC in both. Without a level,
// $LOG_LEVEL is read (any case); an unknown value there only warns (the harness may set values we
// do not know).
std::shared_ptr<spdlog::logger> make_logger(const LogOptions& options, const Output& output);

// Logs `text` with structured fields (JSON object members without braces): in JSON the fields
// join the line's object, in text only `text` is written.
void log_with_fields(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view text,
                     std::string_view json_fields);

// This process's run: its start time and process id ("20261207T230512Z-4242"), the same in its
// start line and in serve's --summary-json records (session numbers start at 1 in every run).
const std::string& run_id();

// One setting in a start line: `text` for people ("--idle-timeout 30 s"), `key` and its JSON
// `value` for machines ("idle_timeout_s", "30"; a string value is quoted: json_quote).
struct StartSetting {
  std::string text;
  std::string key;
  std::string value;
};

// The first line of serve, harness and demo: which build runs, which run this is, with what
// settings, so that a log read later says what ran ("likematch 1.0.0 harness, run
// 20261207T230512Z-4242: --events 1000000, ..."); in JSON "version", "run", "command" and
// each setting's key.
void log_start(spdlog::logger& logger, std::string_view command,
               const std::vector<StartSetting>& settings);

// --log-level, --log-format and --color, the same for every command that logs.
void add_log_options(CLI::App& app, LogOptions& options);

}  // namespace likematch::cli
