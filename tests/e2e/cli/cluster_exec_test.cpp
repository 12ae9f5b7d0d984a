// cli/cluster_exec.cpp: likematch hands worker and serve --jetstream, their --help included,
// to likematch-cluster with the same arguments, and says where it looked when there is none.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"

namespace likematch::test {
namespace {

// likematch alone in a fresh directory (a copy, so that /proc/self/exe names the directory).
std::string copy_likematch(const TempDir& dir) {
  const std::string copy = dir.path("likematch");
  std::filesystem::copy_file(LIKEMATCH_BINARY, copy);
  return copy;
}

TEST_CASE("worker and serve --jetstream run in likematch-cluster with the same arguments",
          "[cli][cluster_exec]") {
  const TempDir dir;
  const std::string likematch = copy_likematch(dir);
  // A likematch-cluster that says what it was given.
  const std::string helper = dir.write("likematch-cluster", "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
  std::filesystem::permissions(helper, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  const std::vector<std::vector<std::string>> handed{
      {"worker", "--help"},
      {"worker", "--jetstream", "nats://127.0.0.1:1", "--partition", "all"},
      {"serve", "--jetstream", "nats://127.0.0.1:1", "--help"},
      {"serve", "--port", "1", "--jetstream=nats://127.0.0.1:1"},
      {"--version", "worker"}};
  for (const auto& args : handed) {
    std::string expected;
    for (const std::string& arg : args) {
      expected += arg + "\n";
    }
    INFO(expected);
    const ProcessResult result = run_process(likematch, args);
    CHECK(result.status == 0);
    CHECK(result.out == expected);
  }
  // The rest is likematch's own: serve's help still names the cluster options.
  const ProcessResult serve = run_process(likematch, {"serve", "--help"});
  CHECK(serve.status == 0);
  CHECK(serve.out.find("--jetstream") != std::string::npos);
  const ProcessResult help = run_process(likematch, {"help", "worker"});
  CHECK(help.status == 0);
  CHECK(help.out.find("--state-dir") != std::string::npos);
}

TEST_CASE("worker --help and serve --jetstream --help work from the build directory",
          "[cli][cluster_exec]") {
  const ProcessResult worker = run_process(LIKEMATCH_BINARY, {"worker", "--help"});
  CHECK(worker.status == 0);
  CHECK(worker.out.find("--state-dir") != std::string::npos);
  const ProcessResult serve =
      run_process(LIKEMATCH_BINARY, {"serve", "--jetstream", "nats://127.0.0.1:1", "--help"});
  CHECK(serve.status == 0);
  CHECK(serve.out.find("--worker-silence") != std::string::npos);
}

TEST_CASE("without likematch-cluster, worker says which paths it tried", "[cli][cluster_exec]") {
  const TempDir dir;
  const std::string likematch = copy_likematch(dir);
  const ProcessResult result = run_process(likematch, {"worker", "--help"});
  CHECK(result.status == 1);
  CHECK(result.out.empty());
  CHECK(result.err.find("likematch-cluster, which is not installed") != std::string::npos);
  CHECK(result.err.find(dir.path("likematch-cluster")) != std::string::npos);
  CHECK(result.err.find("libexec/likematch/likematch-cluster") != std::string::npos);
  // What needs no cluster still runs.
  CHECK(run_process(likematch, {"--version"}).status == 0);
}

}  // namespace
}  // namespace likematch::test
