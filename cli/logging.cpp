#include "cli/logging.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "cli/json_text.hpp"
#include "cli/option_values.hpp"
#include "cli/progress.hpp"
#include "cli/version.hpp"

namespace likematch::cli {

namespace {

// Separates a message from its JSON fields inside one spdlog payload; a control character
// that no message of ours contains.
constexpr char k_fields_separator = '\x1f';

std::optional<LogLevel> level_named(std::string name) {
  for (char& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto& [text, level] : log_level_names()) {
    if (text == name) {
      return level;
    }
  }
  return std::nullopt;
}

spdlog::color_mode spdlog_color(ColorMode mode) {
  switch (mode) {
    case ColorMode::always:
      return spdlog::color_mode::always;
    case ColorMode::never:
      return spdlog::color_mode::never;
    case ColorMode::automatic: {
      const char* no_color = std::getenv("NO_COLOR");
      return no_color != nullptr && *no_color != '\0' ? spdlog::color_mode::never
                                                      : spdlog::color_mode::automatic;
    }
  }
  return spdlog::color_mode::automatic;
}

std::string_view level_name(spdlog::level::level_enum level) {
  const spdlog::string_view_t name = spdlog::level::to_string_view(level);
  return {name.data(), name.size()};
}

// One JSON object per line, written whole with one fwrite so that lines never interleave.
class JsonLogSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit JsonLogSink(std::FILE* file) : m_file(file) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& message) override {
    const std::string_view payload(message.payload.data(), message.payload.size());
    const std::size_t separator = payload.find(k_fields_separator);
    const std::string_view text = payload.substr(0, separator);
    std::string line =
        fmt::format(R"({{"time":"{}","level":{},"message":{})", utc_timestamp(message.time),
                    json_quote(level_name(message.level)), json_quote(text));
    if (separator != std::string_view::npos) {
      line += ',';
      line.append(payload.substr(separator + 1));
    }
    line += "}\n";
    with_status_line_erased(m_file, [&] { std::fwrite(line.data(), 1, line.size(), m_file); });
  }

  void flush_() override { std::fflush(m_file); }

 private:
  std::FILE* m_file;
};

// The text sink, around spdlog's coloured one: a progress line on the same terminal is erased
// before each log line and drawn again after it.
class TextLogSink : public spdlog::sinks::sink {
 public:
  TextLogSink(std::FILE* file, ColorMode color)
      : m_file(file),
        m_inner(std::make_unique<spdlog::sinks::ansicolor_sink<spdlog::details::console_mutex>>(
            file, spdlog_color(color))) {}

  void log(const spdlog::details::log_msg& message) override {
    with_status_line_erased(m_file, [&] { m_inner->log(message); });
  }
  void flush() override { m_inner->flush(); }
  void set_pattern(const std::string& pattern) override { m_inner->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    m_inner->set_formatter(std::move(formatter));
  }

 private:
  std::FILE* m_file;
  std::unique_ptr<spdlog::sinks::sink> m_inner;
};

}  // namespace

std::string utc_timestamp(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count() %
      1'000'000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z", fmt::gmtime(seconds), micros);
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace:
      return spdlog::level::trace;
    case LogLevel::debug:
      return spdlog::level::debug;
    case LogLevel::info:
      return spdlog::level::info;
    case LogLevel::warning:
      return spdlog::level::warn;
    case LogLevel::error:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

const std::vector<std::pair<std::string, LogLevel>>& log_level_names() {
  // spdlog names its levels trace, debug, info, warning, error: each is a name we take.
  static const std::vector<std::pair<std::string, LogLevel>> names{
      {"trace", LogLevel::trace},     {"debug", LogLevel::debug},  {"info", LogLevel::info},
      {"warning", LogLevel::warning}, {"warn", LogLevel::warning}, {"error", LogLevel::error}};
  return names;
}

std::shared_ptr<spdlog::logger> make_logger(const LogOptions& options, const Output& output) {
  std::optional<LogLevel> level = options.level;
  std::string unknown;  // a LOG_LEVEL we do not know
  if (!level) {
    const char* variable = std::getenv("LOG_LEVEL");
    if (variable != nullptr && *variable != '\0') {
      level = level_named(variable);
      if (!level) {
        unknown = variable;
      }
    }
  }
  std::shared_ptr<spdlog::logger> logger;
  if (options.format == LogFormat::json) {
    logger =
        std::make_shared<spdlog::logger>("likematch", std::make_shared<JsonLogSink>(output.err));
  } else {
    logger = std::make_shared<spdlog::logger>(
        "likematch", std::make_shared<TextLogSink>(output.err, options.color));
    // UTC, said by the Z, as in JSON; the level padded to "warning", the longest, so that
    // messages start in one column.
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-7l%$ %v", spdlog::pattern_time_type::utc);
  }
  logger->set_level(to_spdlog(level.value_or(LogLevel::info)));
  logger->flush_on(spdlog::level::trace);
  if (!unknown.empty()) {
    logger->warn(
        "LOG_LEVEL={} is not a known level (trace, debug, info, warning, error): using info",
        unknown);
  }
  return logger;
}

void log_with_fields(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view text,
                     std::string_view json_fields) {
  const bool json = !logger.sinks().empty() &&
                    dynamic_cast<JsonLogSink*>(logger.sinks().front().get()) != nullptr;
  if (json) {
    logger.log(level, "{}{}{}", text, k_fields_separator, json_fields);
  } else {
    logger.log(level, "{}", text);
  }
}

const std::string& run_id() {
  static const std::string id = fmt::format(
      "{:%Y%m%dT%H%M%S}Z-{}",
      fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())),
      ::getpid());
  return id;
}

void log_start(spdlog::logger& logger, std::string_view command,
               const std::vector<StartSetting>& settings) {
  std::string text = fmt::format("{} {}, run {}:", version_text(), command, run_id());
  std::string fields =
      fmt::format(R"("version":{},"run":{},"command":{})", json_quote(version_text()),
                  json_quote(run_id()), json_quote(command));
  const char* separator = " ";
  for (const StartSetting& setting : settings) {
    text += separator;
    text += setting.text;
    separator = ", ";
    fields += fmt::format(R"(,{}:{})", json_quote(setting.key), setting.value);
  }
  log_with_fields(logger, spdlog::level::info, text, fields);
}

void add_log_options(CLI::App& app, LogOptions& options) {
  add_enum(app, "--log-level", options.level, log_level_names(),
           "trace, debug, info, warning (or warn) or error [default: $LOG_LEVEL, else info]")
      ->type_name("LEVEL");
  add_enum(app, "--log-format", options.format,
           EnumNames<LogFormat>{{"text", LogFormat::text}, {"json", LogFormat::json}},
           "text: lines for people; json: one object per line (time, level, message, session "
           "fields)")
      ->type_name("FORMAT");
  add_enum(app, "--color", options.color,
           EnumNames<ColorMode>{{"auto", ColorMode::automatic},
                                {"always", ColorMode::always},
                                {"never", ColorMode::never}},
           "Colour text log lines: auto (on a terminal, unless $NO_COLOR is set), always or "
           "never")
      ->type_name("WHEN");
}

}  // namespace likematch::cli
