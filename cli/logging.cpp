#include "cli/logging.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <stdexcept>

#include "cli/json_text.hpp"

namespace likematch::cli {

namespace {

// Separates a message from its JSON fields inside one spdlog payload; a control character
// that no message of ours contains.
constexpr char k_fields_separator = '\x1f';

constexpr std::string_view k_levels[] = {"trace", "debug", "info", "warn", "error"};

bool known_level(std::string_view name) {
  for (const std::string_view level : k_levels) {
    if (level == name) {
      return true;
    }
  }
  return false;
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
    const std::time_t seconds = std::chrono::system_clock::to_time_t(message.time);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(message.time.time_since_epoch())
            .count() %
        1'000'000;
    std::string line = fmt::format(R"({{"time":"{:%Y-%m-%dT%H:%M:%S}.{:06}Z","level":{},)"
                                   R"("message":{})",
                                   fmt::gmtime(seconds), micros,
                                   json_quote(level_name(message.level)), json_quote(text));
    if (separator != std::string_view::npos) {
      line += ',';
      line.append(payload.substr(separator + 1));
    }
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), m_file);
  }

  void flush_() override { std::fflush(m_file); }

 private:
  std::FILE* m_file;
};

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(const LogOptions& options, const Output& output) {
  std::string level = options.level;
  bool from_environment = false;
  if (level.empty()) {
    const char* variable = std::getenv("LOG_LEVEL");
    level = variable != nullptr ? variable : "";
    from_environment = true;
  }
  const bool known = known_level(level);
  if (!known && !from_environment) {
    throw std::invalid_argument(fmt::format("unknown log level '{}'", level));
  }
  std::shared_ptr<spdlog::logger> logger;
  if (options.format == LogFormat::json) {
    logger =
        std::make_shared<spdlog::logger>("likematch", std::make_shared<JsonLogSink>(output.err));
  } else {
    auto sink = std::make_shared<spdlog::sinks::ansicolor_sink<spdlog::details::console_mutex>>(
        output.err, spdlog::color_mode::automatic);
    logger = std::make_shared<spdlog::logger>("likematch", std::move(sink));
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
  }
  logger->set_level(known ? spdlog::level::from_str(level) : spdlog::level::info);
  logger->flush_on(spdlog::level::trace);
  if (!known && !level.empty()) {
    logger->warn("LOG_LEVEL={} is not a known level (debug, info, ...): using info", level);
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

void add_log_options(CLI::App& app, LogOptions& options) {
  app.add_option("--log-level", options.level,
                 "debug, info, warn or error [default: $LOG_LEVEL, else info]")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->type_name("LEVEL");
  app.add_option_function<std::string>(
         "--log-format",
         [&options](const std::string& name) {
           options.format = name == "json" ? LogFormat::json : LogFormat::text;
         },
         "text: lines for people; json: one object per line (time, level, message, session "
         "fields) [default: text]")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
}

}  // namespace likematch::cli
