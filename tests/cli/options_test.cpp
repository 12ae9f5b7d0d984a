// Every option of every subcommand, in one table: a good value, each boundary and bad values,
// each with its exit status and its exact message. The command line is built by make_app, as
// main builds it, and the test walks it: an option that --help lists without a row here fails.
#include "cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/exit_status.hpp"
#include "tests/support/parsed_command_line.hpp"

namespace likematch::cli {
namespace {

struct Row {
  std::string command;
  std::string option;             // the option the row is about, as --help names it
  std::vector<std::string> args;  // after the command
  int status = k_exit_ok;         // k_exit_ok: parsed
  // k_exit_usage: the message between "likematch: " and the pointer to --help.
  std::string message;
  // k_exit_ok: the option's value as CLI11 hands it to the field, when not empty.
  std::string result;
};

Row good(std::string command, std::string option, std::vector<std::string> args,
         std::string result = "") {
  return Row{std::move(command), std::move(option), std::move(args), k_exit_ok, "",
             std::move(result)};
}

Row bad(std::string command, std::string option, std::vector<std::string> args,
        std::string message) {
  return Row{std::move(command), std::move(option),  std::move(args),
             k_exit_usage,       std::move(message), ""};
}

// CLI11 would say "At Most 1 required but received 2".
Row given_twice(const std::string& command, const std::string& option, const std::string& value) {
  return bad(command, option, {option, value, option, value},
             fmt::format("{}: given more than once", option));
}

constexpr std::uint64_t k_max64 = UINT64_MAX;

// A whole number from `min` to `max`; `past` is max + 1 in decimal.
// `with`: arguments every row adds (what makes the option's smallest value usable).
void number_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
                 std::uint64_t min, std::uint64_t max, const std::string& past,
                 const std::vector<std::string>& with = {}) {
  const std::size_t first = rows.size();
  const auto refused = [&](const std::string& text) {
    return fmt::format("{}: must be a whole number from {} to {}, got '{}'", option, min, max,
                       text);
  };
  rows.push_back(good(command, option, {option, "7"}, "7"));
  rows.push_back(good(command, option, {option, std::to_string(min)}, std::to_string(min)));
  rows.push_back(good(command, option, {option, std::to_string(max)}, std::to_string(max)));
  rows.push_back(good(command, option, {option, "007"}, "7"));  // not octal
  rows.push_back(good(command, option, {option + "=8"}, "8"));
  rows.push_back(given_twice(command, option, "7"));
  if (min > 0) {
    rows.push_back(
        bad(command, option, {option, std::to_string(min - 1)}, refused(std::to_string(min - 1))));
  }
  for (const std::string& text : std::vector<std::string>{
           past, std::string("99999999999999999999999"), std::string(""), std::string("-1"),
           std::string("-0"), std::string("+5"), std::string("abc"), std::string("0x10"),
           std::string("1e3"), std::string("5 "), std::string("1.0"), std::string("nan")}) {
    rows.push_back(bad(command, option, {option, text}, refused(text)));
  }
  for (std::size_t i = first; i < rows.size(); ++i) {
    rows[i].args.insert(rows[i].args.end(), with.begin(), with.end());
  }
}

void u64_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
              std::uint64_t min, const std::vector<std::string>& with = {}) {
  number_rows(rows, command, option, min, k_max64, "18446744073709551616", with);
}

void port_rows(std::vector<Row>& rows, const std::string& command, const std::string& option) {
  number_rows(rows, command, option, 0, 65535, "65536");
}

// A duration in seconds (at most 1,000,000 s), to the millisecond, rounded up.
void seconds_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
                  bool positive) {
  const auto refused = [&](const std::string& text) {
    return fmt::format("{}: must be a number of seconds {} 1000000, got '{}'", option,
                       positive ? "above 0, up to" : "from 0 to", text);
  };
  rows.push_back(good(command, option, {option, "30"}, "30000"));
  rows.push_back(given_twice(command, option, "30"));
  rows.push_back(good(command, option, {option, "1.5"}, "1500"));
  rows.push_back(good(command, option, {option, "007.250"}, "7250"));
  rows.push_back(good(command, option, {option, "0.001"}, "1"));
  // Below the millisecond: rounded up, never 0 (0 means "never" to some of them).
  rows.push_back(good(command, option, {option, "0.0001"}, "1"));
  rows.push_back(good(command, option, {option, "1.0001"}, "1001"));
  rows.push_back(good(command, option, {option, "1000000"}, "1000000000"));
  rows.push_back(good(command, option, {option, "999999.999"}, "999999999"));
  if (positive) {
    rows.push_back(bad(command, option, {option, "0"}, refused("0")));
    rows.push_back(bad(command, option, {option, "0.000"}, refused("0.000")));
  } else {
    rows.push_back(good(command, option, {option, "0"}, "0"));
  }
  for (const std::string& text : std::vector<std::string>{"1000000.001",
                                                          "1000000.0001",
                                                          "1000001",
                                                          "10000000000000",
                                                          "18446744073709551615",
                                                          "18446744073709551616",
                                                          "1e10",
                                                          "1e300",
                                                          "nan",
                                                          "NaN",
                                                          "inf",
                                                          "-1",
                                                          "-0.5",
                                                          "",
                                                          "abc",
                                                          "0x10",
                                                          ".5",
                                                          "5.",
                                                          "1,5",
                                                          " 1",
                                                          "1s"}) {
    rows.push_back(bad(command, option, {option, text}, refused(text)));
  }
}

void milliseconds_rows(std::vector<Row>& rows, const std::string& command,
                       const std::string& option) {
  const auto refused = [&](const std::string& text) {
    return fmt::format("{}: must be a number of milliseconds from 0 to 1000000000, got '{}'",
                       option, text);
  };
  rows.push_back(good(command, option, {option, "0"}, "0"));
  rows.push_back(good(command, option, {option, "250"}, "250"));
  rows.push_back(given_twice(command, option, "250"));
  rows.push_back(good(command, option, {option, "0.5"}, "1"));
  rows.push_back(good(command, option, {option, "1000000000"}, "1000000000"));
  for (const std::string& text : std::vector<std::string>{
           "1000000001", "1000000000.5", "10000000000000", "18446744073709551616", "1e3", "nan",
           "inf", "-1", "", "abc", "0x10"}) {
    rows.push_back(bad(command, option, {option, text}, refused(text)));
  }
}

// Names of an enum: each name in any case; anything else is refused with the list.
void enum_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
               const std::vector<std::pair<std::string, std::string>>& names,
               const std::string& listed) {
  for (const auto& [name, result] : names) {
    rows.push_back(good(command, option, {option, name}, result));
  }
  std::string upper = names.front().first;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  rows.push_back(good(command, option, {option, upper}, names.front().second));
  rows.push_back(given_twice(command, option, names.front().first));
  for (const std::string& text :
       std::vector<std::string>{"x", "", "0", "1", names.front().first + " "}) {
    rows.push_back(bad(command, option, {option, text},
                       fmt::format("{}: must be {}, got '{}'", option, listed, text)));
  }
}

void flag_rows(std::vector<Row>& rows, const std::string& command, const std::string& option) {
  rows.push_back(good(command, option, {option}));
  rows.push_back(
      bad(command, option, {option + "=x"}, fmt::format("{}: takes no value, got 'x'", option)));
  rows.push_back(good(command, option, {option, option}));  // said twice, meant once
}

// A text value: anything but empty.
void text_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
               const std::string& value, const std::string& type) {
  rows.push_back(good(command, option, {option, value}, value));
  rows.push_back(bad(command, option, {option, ""}, option + ": must not be empty"));
  rows.push_back(
      bad(command, option, {option}, fmt::format("{}: needs a value ({})", option, type)));
  rows.push_back(bad(command, option, {option, value, option, value},
                     fmt::format("{}: given more than once", option)));
}

// A value option without its value (CLI11 would say "1 required N missing").
void missing_value_row(std::vector<Row>& rows, const std::string& command,
                       const std::string& option, const std::string& type) {
  rows.push_back(
      bad(command, option, {option}, fmt::format("{}: needs a value ({})", option, type)));
}

// A size in bytes from `min` to `max`, with an optional binary unit (K, M, G, KiB, MiB, GiB).
void bytes_rows(std::vector<Row>& rows, const std::string& command, const std::string& option,
                std::uint64_t min, std::uint64_t max) {
  const auto refused = [&](const std::string& text) {
    return fmt::format(
        "{}: must be a size in bytes from {} to {}, a whole number with an optional unit K, M "
        "or G (KiB, MiB, GiB: 1024, 1024^2, 1024^3 bytes), got '{}'",
        option, min, max, text);
  };
  rows.push_back(good(command, option, {option, "64MiB"}, "67108864"));
  rows.push_back(good(command, option, {option, "64m"}, "67108864"));
  rows.push_back(good(command, option, {option, "2G"}, "2147483648"));
  rows.push_back(good(command, option, {option, "1024kib"}, "1048576"));
  rows.push_back(good(command, option, {option, std::to_string(min)}, std::to_string(min)));
  rows.push_back(good(command, option, {option, std::to_string(min) + "B"}, std::to_string(min)));
  rows.push_back(good(command, option, {option, std::to_string(max)}, std::to_string(max)));
  rows.push_back(given_twice(command, option, "64MiB"));
  missing_value_row(rows, command, option, "BYTES");
  for (const std::string& text :
       {std::to_string(min - 1), std::to_string(max + 1), std::string("0"), std::string(""),
        std::string("MiB"), std::string("64 MiB"), std::string("64MB"), std::string("1.5G"),
        std::string("-1M"), std::string("64T"), std::string("99999999999999999999G")}) {
    rows.push_back(bad(command, option, {option, text}, refused(text)));
  }
}

// --jetstream, --partitions and --replicas, as serve and worker share them.
void cluster_rows(std::vector<Row>& rows, const std::string& command) {
  text_rows(rows, command, "--jetstream", "nats://127.0.0.1:4222,nats://127.0.0.1:4223",
            "URL[,URL...]");
  number_rows(rows, command, "--partitions", 1, 1024, "1025");
  missing_value_row(rows, command, "--partitions", "P");
  number_rows(rows, command, "--replicas", 1, UINT32_MAX, "4294967296");
  missing_value_row(rows, command, "--replicas", "N");
}

void rule_rows(std::vector<Row>& rows, const std::string& command) {
  enum_rows(rows, command, "--rule", {{"ever", "0"}, {"latest", "1"}}, "ever or latest");
  missing_value_row(rows, command, "--rule", "RULE");
  flag_rows(rows, command, "--once");
  enum_rows(rows, command, "--self-like-rule", {{"literal", "0"}, {"match", "1"}, {"ignore", "2"}},
            "literal, match or ignore");
  missing_value_row(rows, command, "--self-like-rule", "RULE");
}

void log_rows(std::vector<Row>& rows, const std::string& command) {
  // The logs' own word for a level is "warning"; "warn" is the same level.
  enum_rows(rows, command, "--log-level",
            {{"trace", "0"},
             {"debug", "1"},
             {"info", "2"},
             {"warning", "3"},
             {"warn", "3"},
             {"error", "4"},
             {"WARN", "3"}},
            "trace, debug, info, warning, warn or error");
  missing_value_row(rows, command, "--log-level", "LEVEL");
  enum_rows(rows, command, "--log-format", {{"text", "0"}, {"json", "1"}}, "text or json");
  missing_value_row(rows, command, "--log-format", "FORMAT");
  enum_rows(rows, command, "--color", {{"auto", "0"}, {"always", "1"}, {"never", "2"}},
            "auto, always or never");
  missing_value_row(rows, command, "--color", "WHEN");
}

void generator_rows(std::vector<Row>& rows, const std::string& command, bool arrival) {
  u64_rows(rows, command, "--events", 0);
  missing_value_row(rows, command, "--events", "N");
  // One user makes no stream without self-likes, unless it makes no events.
  u64_rows(rows, command, "--users", 1, {"--events", "0"});
  missing_value_row(rows, command, "--users", "U");
  u64_rows(rows, command, "--seed", 0);
  missing_value_row(rows, command, "--seed", "S");
  // One user and no self-likes cannot make a stream.
  rows.push_back(bad(command, "--users", {"--users", "1", "--events", "10"},
                     "one user can only like itself: use --users 2 or more, or --self-likes"));
  rows.push_back(good(command, "--users", {"--users", "1", "--events", "0"}, "1"));
  rows.push_back(good(command, "--users", {"--users", "1", "--self-likes"}, "1"));
  flag_rows(rows, command, "--self-likes");
  if (!arrival) {
    return;
  }
  const std::string shuffle_refused =
      "--shuffle: must be full, none or window:K with K a whole number from 1 to "
      "18446744073709551615, got '{}'";
  for (const auto& [text, result] : std::vector<std::pair<std::string, std::string>>{
           {"full", "full"},
           {"none", "none"},
           {"window:1", "window:1"},
           {"window:2", "window:2"},
           {"WINDOW:007", "window:7"},
           {"Full", "full"},
           {"window:18446744073709551615", "window:18446744073709551615"}}) {
    rows.push_back(good(command, "--shuffle", {"--shuffle", text}, result));
  }
  for (const std::string& text : std::vector<std::string>{
           "window:0", "window:", "window", "window:-1", "window:0x10", "window:1e3",
           "window:18446744073709551616", "window:2:3", "full:3", "none:1", "", "partial", "w:3"}) {
    rows.push_back(bad(command, "--shuffle", {"--shuffle", text},
                       fmt::vformat(shuffle_refused, fmt::make_format_args(text))));
  }
  missing_value_row(rows, command, "--shuffle", "MODE");
  rows.push_back(given_twice(command, "--shuffle", "full"));
}

void limit_rows(std::vector<Row>& rows, const std::string& command) {
  u64_rows(rows, command, "--max-line-length", 1);
  missing_value_row(rows, command, "--max-line-length", "BYTES");
  u64_rows(rows, command, "--max-buffered", 1);
  missing_value_row(rows, command, "--max-buffered", "N");
}

std::vector<Row> replay_rows() {
  std::vector<Row> rows;
  const std::string c = "replay";
  rows.push_back(good(c, "files", {"a.events", "-", "b.events"}));
  rows.push_back(good(c, "files", {}));
  rows.push_back(bad(c, "files", {""}, "files: must not be empty"));
  rule_rows(rows, c);
  flag_rows(rows, c, "--explain");
  enum_rows(rows, c, "--format", {{"plain", "0"}, {"json", "1"}}, "plain or json");
  missing_value_row(rows, c, "--format", "FORMAT");
  flag_rows(rows, c, "--compare-rules");
  flag_rows(rows, c, "--strict");
  flag_rows(rows, c, "--stats");
  limit_rows(rows, c);
  u64_rows(rows, c, "--max-warnings", 0);
  missing_value_row(rows, c, "--max-warnings", "N");
  // Options that would contradict each other are refused, naming both.
  rows.push_back(good(c, "--format", {"--format", "plain", "--explain"}, "0"));
  rows.push_back(good(c, "--compare-rules", {"--compare-rules", "--explain"}));
  rows.push_back(good(c, "--compare-rules", {"--compare-rules", "--strict", "--stats"}));
  rows.push_back(
      bad(c, "--format", {"--format", "json", "--explain"}, "--format json excludes --explain"));
  rows.push_back(
      bad(c, "--explain", {"--explain", "--format", "json"}, "--format json excludes --explain"));
  rows.push_back(bad(c, "--format", {"--compare-rules", "--format", "json"},
                     "--format json excludes --compare-rules"));
  rows.push_back(bad(c, "--compare-rules", {"--compare-rules", "--rule", "latest"},
                     "--rule excludes --compare-rules"));
  rows.push_back(
      bad(c, "--compare-rules", {"--compare-rules", "--once"}, "--once excludes --compare-rules"));
  rows.push_back(bad(c, "--compare-rules", {"--compare-rules", "--rule", "latest", "--once"},
                     "--rule excludes --compare-rules"));
  rows.push_back(
      bad(c, "--rule", {"--rule", "ever", "--compare-rules"}, "--rule excludes --compare-rules"));
  rows.push_back(bad(c, "--compare-rules", {"--compare-rules", "--self-like-rule", "match"},
                     "--self-like-rule excludes --compare-rules"));
  return rows;
}

std::vector<Row> generate_rows() {
  std::vector<Row> rows;
  const std::string c = "generate";
  generator_rows(rows, c, /*arrival=*/true);
  text_rows(rows, c, "--expected", "expected.txt", "FILE");
  rule_rows(rows, c);
  return rows;
}

std::vector<Row> harness_rows() {
  std::vector<Row> rows;
  const std::string c = "harness";
  generator_rows(rows, c, /*arrival=*/true);
  rule_rows(rows, c);
  flag_rows(rows, c, "--listen");
  text_rows(rows, c, "--host", "harness.example", "HOST");
  text_rows(rows, c, "--bind", "::1", "ADDR");
  port_rows(rows, c, "--source-port");
  missing_value_row(rows, c, "--source-port", "PORT");
  port_rows(rows, c, "--listener-port");
  missing_value_row(rows, c, "--listener-port", "PORT");
  u64_rows(rows, c, "--chunk-bytes", 0);
  missing_value_row(rows, c, "--chunk-bytes", "K");
  flag_rows(rows, c, "--crlf");
  flag_rows(rows, c, "--listener-first");
  flag_rows(rows, c, "--listener-last");
  milliseconds_rows(rows, c, "--listener-delay");
  missing_value_row(rows, c, "--listener-delay", "MS");
  rows.push_back(bad(c, "--listener-first", {"--listener-first", "--listener-last"},
                     "--listener-first excludes --listener-last"));
  rows.push_back(bad(c, "--listener-delay", {"--listener-delay", "5", "--listener-first"},
                     "--listener-first excludes --listener-delay"));
  rows.push_back(bad(c, "--listener-last", {"--listener-last", "--listener-delay", "5"},
                     "--listener-last excludes --listener-delay"));
  flag_rows(rows, c, "--slow-reader");
  seconds_rows(rows, c, "--timeout", /*positive=*/true);
  missing_value_row(rows, c, "--timeout", "SECONDS");
  seconds_rows(rows, c, "--connect-timeout", /*positive=*/false);
  missing_value_row(rows, c, "--connect-timeout", "SECONDS");
  log_rows(rows, c);
  return rows;
}

std::vector<Row> serve_rows() {
  std::vector<Row> rows;
  const std::string c = "serve";
  text_rows(rows, c, "--bind", "0.0.0.0", "ADDR");
  port_rows(rows, c, "--source-port");
  missing_value_row(rows, c, "--source-port", "PORT");
  port_rows(rows, c, "--listener-port");
  missing_value_row(rows, c, "--listener-port", "PORT");
  text_rows(rows, c, "--connect", "harness", "HOST");
  seconds_rows(rows, c, "--connect-timeout", /*positive=*/false);
  missing_value_row(rows, c, "--connect-timeout", "SECONDS");
  seconds_rows(rows, c, "--idle-timeout", /*positive=*/false);
  missing_value_row(rows, c, "--idle-timeout", "SECONDS");
  rule_rows(rows, c);
  limit_rows(rows, c);
  log_rows(rows, c);
  u64_rows(rows, c, "--max-listeners", 1);
  missing_value_row(rows, c, "--max-listeners", "N");
  u64_rows(rows, c, "--max-sources", 1);
  missing_value_row(rows, c, "--max-sources", "N");
  text_rows(rows, c, "--record", "sessions", "DIR");
  text_rows(rows, c, "--summary-json", "summaries.jsonl", "FILE");
  cluster_rows(rows, c);
  number_rows(rows, c, "--batch-events", 1, 40'000, "40001");
  missing_value_row(rows, c, "--batch-events", "N");
  seconds_rows(rows, c, "--worker-silence", /*positive=*/true);
  missing_value_row(rows, c, "--worker-silence", "SECONDS");
  return rows;
}

std::vector<Row> worker_rows() {
  std::vector<Row> rows;
  const std::string c = "worker";
  cluster_rows(rows, c);
  text_rows(rows, c, "--partition", "0,2", "K|K,L|all");
  text_rows(rows, c, "--state-dir", "state", "DIR");
  bytes_rows(rows, c, "--memory-budget", std::uint64_t{1} << 20, std::uint64_t{1} << 40);
  seconds_rows(rows, c, "--connect-timeout", /*positive=*/false);
  missing_value_row(rows, c, "--connect-timeout", "SECONDS");
  log_rows(rows, c);
  return rows;
}

std::vector<Row> demo_rows() {
  std::vector<Row> rows;
  const std::string c = "demo";
  generator_rows(rows, c, /*arrival=*/false);
  rule_rows(rows, c);
  log_rows(rows, c);
  return rows;
}

std::vector<Row> all_rows() {
  std::vector<Row> rows;
  for (auto part :
       {replay_rows(), generate_rows(), harness_rows(), serve_rows(), demo_rows(), worker_rows()}) {
    rows.insert(rows.end(), part.begin(), part.end());
  }
  return rows;
}

std::string joined(const std::vector<std::string>& args) {
  std::string text;
  for (const std::string& arg : args) {
    text += " '" + arg + "'";
  }
  return text;
}

using test::parse;
using test::Parsed;

TEST_CASE("every option of every subcommand: good values, boundaries and bad values",
          "[cli][options]") {
  const std::vector<Row> rows = all_rows();
  for (const Row& row : rows) {
    std::vector<std::string> args{row.command};
    args.insert(args.end(), row.args.begin(), row.args.end());
    INFO("likematch" << joined(args));
    AppOptions options;
    const auto app = make_app(options);
    std::ostringstream out;
    std::ostringstream err;
    const std::optional<int> status = parse_command_line(*app, args, out, err);
    CHECK(out.str().empty());
    if (row.status == k_exit_ok) {
      CHECK_FALSE(status.has_value());
      CHECK(err.str().empty());
      if (!row.result.empty()) {
        const CLI::Option* option = app->get_subcommand(row.command)->get_option(row.option);
        REQUIRE(option->results().size() == 1);
        CHECK(option->results().front() == row.result);
      }
    } else {
      CHECK(status == std::optional<int>(row.status));
      CHECK(err.str() == fmt::format("likematch: {}\nRun 'likematch {} --help' for more "
                                     "information.\n",
                                     row.message, row.command));
    }
  }
}

TEST_CASE("the option table has a good and a bad row for every option --help lists",
          "[cli][options]") {
  std::map<std::pair<std::string, std::string>, std::pair<int, int>> counts;  // good, bad
  for (const Row& row : all_rows()) {
    auto& [goods, bads] = counts[{row.command, row.option}];
    ++(row.status == k_exit_ok ? goods : bads);
  }
  AppOptions options;
  const auto app = make_app(options);
  std::set<std::pair<std::string, std::string>> listed;
  for (const CLI::App* command : app->get_subcommands({})) {
    for (const CLI::Option* option : command->get_options()) {
      if (option == command->get_help_ptr() || option == command->get_version_ptr()) {
        continue;
      }
      const std::pair<std::string, std::string> key{command->get_name(), option->get_name()};
      listed.insert(key);
      INFO("likematch " << key.first << " " << key.second);
      CHECK(counts[key].first > 0);
      CHECK(counts[key].second > 0);
    }
  }
  // And no row is about an option that does not exist.
  for (const auto& [key, count] : counts) {
    INFO("row for likematch " << key.first << " " << key.second);
    CHECK(listed.count(key) == 1);
  }
}

TEST_CASE("numbers and durations land in the options as given", "[cli][options]") {
  AppOptions options;
  const auto app = make_app(options);
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE_FALSE(parse_command_line(*app,
                                   {"harness",
                                    "--events",
                                    "18446744073709551615",
                                    "--seed",
                                    "0007",
                                    "--timeout",
                                    "0.0001",
                                    "--connect-timeout",
                                    "2.5",
                                    "--listener-delay",
                                    "1000000000",
                                    "--shuffle",
                                    "window:2",
                                    "--log-level",
                                    "WARN",
                                    "--log-format",
                                    "json",
                                    "--rule",
                                    "latest",
                                    "--source-port",
                                    "65535"},
                                   out, err)
                    .has_value());
  const HarnessOptions& harness = options.harness;
  CHECK(harness.generator.events == UINT64_MAX);
  CHECK(harness.generator.seed == 7);
  CHECK(harness.plan.timeout == std::chrono::milliseconds(1));
  CHECK(harness.plan.connect_timeout == std::chrono::milliseconds(2500));
  CHECK(harness.plan.listener_delay == std::chrono::seconds(1'000'000));
  CHECK(harness.plan.listener_start == io::ListenerStart::after_delay);
  CHECK(harness.generator.shuffle == Shuffle{ShuffleKind::window, 2});
  CHECK(harness.log.level == LogLevel::warning);
  CHECK(harness.log.format == LogFormat::json);
  CHECK(harness.rules.rule == Rule::latest);
  CHECK(harness.plan.source_port == 65535);
}

TEST_CASE("serve's durations land in std::chrono without overflow", "[cli][options]") {
  AppOptions options;
  const auto app = make_app(options);
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE_FALSE(parse_command_line(*app,
                                   {"serve", "--idle-timeout", "1000000", "--connect-timeout",
                                    "0.0001", "--max-buffered", "007"},
                                   out, err)
                    .has_value());
  CHECK(options.serve.server.idle_timeout == std::chrono::seconds(1'000'000));
  CHECK(options.serve.connect_timeout == std::chrono::milliseconds(1));
  CHECK(options.serve.hub.engine.max_buffered == 7);
  // Far from overflowing a time point.
  const auto now = std::chrono::steady_clock::now();
  CHECK(now + options.serve.server.idle_timeout > now);
}

TEST_CASE("an option unset on the command line keeps its one default", "[cli][options]") {
  AppOptions options;
  const auto app = make_app(options);
  std::ostringstream out;
  std::ostringstream err;
  REQUIRE_FALSE(parse_command_line(*app, {"serve"}, out, err).has_value());
  CHECK(options.serve.server.source_port == io::k_source_port);
  CHECK(options.serve.server.listener_port == io::k_listener_port);
  CHECK(options.harness.plan.source_port == io::k_source_port);
  CHECK(options.harness.plan.listener_port == io::k_listener_port);
  CHECK(options.replay.max_warnings == k_warnings_shown);
  // Dialing waits as long from either side.
  CHECK(options.serve.connect_timeout == io::k_connect_timeout);
  CHECK(options.harness.plan.connect_timeout == io::k_connect_timeout);
  CHECK_FALSE(options.serve.log.level.has_value());
}

TEST_CASE("the harness's environment variables are read as strictly as its options",
          "[cli][options]") {
  ::setenv("SEQUENCE_COUNT", "0x10", 1);
  const Parsed hex = parse({"harness"});
  ::unsetenv("SEQUENCE_COUNT");
  CHECK(hex.status == std::optional<int>(k_exit_usage));
  CHECK(hex.err ==
        "likematch: SEQUENCE_COUNT: must be a whole number from 0 to 18446744073709551615, got "
        "'0x10'\nRun 'likematch harness --help' for more information.\n");

  ::setenv("USER_COUNT", "", 1);
  const Parsed empty = parse({"harness"});
  ::unsetenv("USER_COUNT");
  CHECK_FALSE(empty.status.has_value());  // an empty variable is not set

  ::setenv("USER_COUNT", "-3", 1);
  const Parsed negative = parse({"harness"});
  ::unsetenv("USER_COUNT");
  CHECK(negative.status == std::optional<int>(k_exit_usage));
  CHECK(negative.err ==
        "likematch: USER_COUNT: must be a whole number from 1 to 18446744073709551615, got "
        "'-3'\nRun 'likematch harness --help' for more information.\n");
}

// A new user met this: an unknown command is named, with the commands there are; `help` is help.
TEST_CASE("an unknown command is named and the commands listed", "[cli][options]") {
  const Parsed unknown = parse({"foo"});
  CHECK(unknown.status == std::optional<int>(k_exit_usage));
  CHECK(unknown.err ==
        "likematch: 'foo' is not a command: the commands are replay, generate, harness, serve, "
        "demo, worker\nRun 'likematch --help' for more information.\n");

  const Parsed none = parse({});
  CHECK(none.status == std::optional<int>(k_exit_usage));
  CHECK(none.err ==
        "likematch: a command is required: replay, generate, harness, serve, demo, worker\nRun "
        "'likematch --help' for more information.\n");

  const Parsed help = parse({"help"});
  CHECK(help.status == std::optional<int>(k_exit_ok));
  CHECK(help.err.empty());
  CHECK_THAT(help.out, Catch::StartsWith("likematch: find the matches"));
  CHECK_THAT(help.out, Catch::Contains("Usage: likematch [OPTIONS] SUBCOMMAND"));

  const Parsed replay_help = parse({"help", "replay"});
  CHECK(replay_help.status == std::optional<int>(k_exit_ok));
  CHECK_THAT(replay_help.out, Catch::Contains("Usage: likematch replay [OPTIONS] [files...]"));

  const Parsed help_unknown = parse({"help", "foo"});
  CHECK(help_unknown.status == std::optional<int>(k_exit_usage));
  CHECK(help_unknown.err ==
        "likematch: no help for 'foo': the commands are replay, generate, harness, serve, "
        "demo, worker\nRun 'likematch --help' for more information.\n");

  const Parsed version = parse({"--version"});
  CHECK(version.status == std::optional<int>(k_exit_ok));
  CHECK_THAT(version.out, Catch::StartsWith("likematch "));
}

}  // namespace
}  // namespace likematch::cli
