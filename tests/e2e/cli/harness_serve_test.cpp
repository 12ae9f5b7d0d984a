// The harness against the real server, in one process over loopback: both directions and the
// stress options. The harness checks every number against the reference matcher.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>
#include <utility>

#include "cli/exit_status.hpp"
#include "cli/harness.hpp"
#include "cli/serve.hpp"
#include "tests/support/captured_output.hpp"
#include "tests/support/running_serve.hpp"

namespace likematch::test {

namespace {

using cli::HarnessOptions;
using cli::ServeInstance;
using cli::ServeOptions;
using io::ListenerStart;

// A harness run of 20,000 events, quiet but for warnings.
HarnessOptions small_harness() {
  HarnessOptions options;
  options.generator.events = 20'000;
  options.generator.users = 300;
  options.plan.timeout = std::chrono::seconds(20);
  options.log.level = likematch::cli::LogLevel::warning;
  return options;
}

// The same against a listening `serve`.
HarnessOptions harness_options(const RunningServe& server) {
  HarnessOptions options = small_harness();
  options.plan.source_port = server.source_port();
  options.plan.listener_port = server.listener_port();
  return options;
}

}  // namespace

TEST_CASE("harness says OK to serve under every stress option", "[harness][serve]") {
  CapturedOutput quiet;
  RunningServe server;
  HarnessOptions options = harness_options(server);

  SECTION("as is") {}
  SECTION("one-byte pieces") {
    options.generator.events = 2'000;
    options.generator.users = 50;
    options.plan.chunk_bytes = 1;
  }
  SECTION("CRLF") {
    options.crlf = true;
  }
  SECTION("listener first") {
    options.plan.listener_start = ListenerStart::first;
  }
  SECTION("listener after EVENT END") {
    options.plan.listener_start = ListenerStart::after_source_end;
  }
  SECTION("listener after a delay") {
    options.plan.listener_start = ListenerStart::after_delay;
    options.plan.listener_delay = std::chrono::milliseconds(30);
  }
  SECTION("slow reader") {
    options.plan.slow_reader = true;
  }

  CHECK(run_harness(options, quiet.output()) == likematch::cli::k_exit_ok);
}

TEST_CASE("harness runs twice in a row against one serve", "[harness][serve]") {
  CapturedOutput quiet;
  RunningServe server;
  HarnessOptions options = harness_options(server);

  CHECK(run_harness(options, quiet.output()) == likematch::cli::k_exit_ok);
  options.generator.seed = 2;
  options.plan.listener_start = ListenerStart::after_source_end;
  CHECK(run_harness(options, quiet.output()) == likematch::cli::k_exit_ok);
}

TEST_CASE("harness says ERROR to serve matching by another rule", "[harness][serve]") {
  CapturedOutput quiet;
  RunningServe server;  // rule ever
  HarnessOptions options = harness_options(server);
  options.rules = {likematch::Rule::latest, true};

  CHECK(run_harness(options, quiet.output()) == likematch::cli::k_exit_failure);
}

TEST_CASE("harness --listen says OK to serve --connect", "[harness][serve][listen]") {
  CapturedOutput quiet;
  HarnessOptions harness = small_harness();
  harness.plan.listen = true;
  harness.plan.source_port = 0;
  harness.plan.listener_port = 0;
  std::promise<std::pair<std::uint16_t, std::uint16_t>> ports;
  auto ports_known = ports.get_future();
  likematch::cli::HarnessHooks hooks;
  hooks.on_listening = [&ports](std::uint16_t source, std::uint16_t listener) {
    ports.set_value({source, listener});
  };
  int harness_status = -1;
  std::thread harness_thread([&] { harness_status = run_harness(harness, quiet.output(), hooks); });
  REQUIRE(ports_known.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  const auto [source_port, listener_port] = ports_known.get();

  ServeOptions serve;
  serve.connect_host = "127.0.0.1";
  serve.server.source_port = source_port;
  serve.server.listener_port = listener_port;
  serve.connect_timeout = std::chrono::seconds(10);
  serve.log.level = likematch::cli::LogLevel::warning;
  ServeInstance client(serve, likematch::cli::make_logger(serve.log, quiet.output()),
                       quiet.output());
  const int serve_status = client.run();
  harness_thread.join();

  CHECK(harness_status == likematch::cli::k_exit_ok);
  CHECK(serve_status == likematch::cli::k_exit_ok);
}

}  // namespace likematch::test
