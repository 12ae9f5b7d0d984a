// The bad-input corpus of testdata/bad/ through `likematch serve` over loopback: the listener
// receives exactly NAME.expected, and every warning of NAME.stderr is in the server's log,
// with the same line number.
#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <sstream>
#include <string>

#include "tests/support/bad_cases.hpp"
#include "tests/support/running_serve.hpp"

namespace likematch::test {
namespace {

// Replay's "NAME.events:LINE: MESSAGE" (or "end of input: MESSAGE") as serve logs it. Lines
// after EVENT END are reported one by one only when they arrive with it; in a later read the
// source is told once that more came after the end. Either is fine: they are ignored.
bool logged(CaptureSink& log, const std::string& name, const std::string& warning) {
  const std::string file = name + ".events:";
  std::string message;
  std::string expected;
  if (warning.starts_with(file)) {
    const std::size_t colon = warning.find(": ", file.size());
    const std::string line = warning.substr(file.size(), colon - file.size());
    message = warning.substr(colon + 2);
    expected = fmt::format(" line {}: {}", line, message);
  } else {
    message = warning.substr(warning.find(": ") + 2);
    expected = "session 1: " + message;
  }
  if (log.contains(expected)) {
    return true;
  }
  return message == "line after EVENT END, ignored" &&
         log.contains("sent more after the end of its input, ignored");
}

TEST_CASE("serve sends the same matches and logs the same warnings for testdata/bad",
          "[serve][bad]") {
  const std::vector<BadCase> cases = test::bad_cases();
  REQUIRE(cases.size() >= 17);
  for (const BadCase& bad : cases) {
    DYNAMIC_SECTION(bad.name) {
      ServeOptions options = RunningServe::listen_options();
      CLI::App app;
      cli::setup_serve(app, options);
      app.parse(bad.args, false);
      RunningServe serve(options);
      Peer listener = serve.listener();
      REQUIRE(listener.send("MATCH BEGIN\n"));
      REQUIRE(serve.log().wait_for("listener 1: MATCH BEGIN"));
      Peer source = serve.source();
      REQUIRE(source.send(bad.events));
      // Cases without EVENT END end with the connection.
      source.close();
      REQUIRE(serve.log().wait_for("session 1 input ended"));
      REQUIRE(listener.read_size(bad.expected.size()));
      REQUIRE(listener.send("MATCH END - OK\n"));
      CHECK(listener.wait_closed());
      CHECK(listener.received == bad.expected);

      const std::string log = serve.log().text();
      INFO(log);
      std::istringstream warnings(bad.stderr_text);
      for (std::string warning; std::getline(warnings, warning);) {
        INFO(warning);
        CHECK(logged(serve.log(), bad.name, warning));
      }
    }
  }
}

}  // namespace
}  // namespace likematch::test
