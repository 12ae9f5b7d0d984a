#include "cli/cluster_exec.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "cli/exit_status.hpp"

namespace likematch::cli {

namespace {

// The command, the first argument that is not an option (likematch's own options, --help and
// --version, take no value), and whether it runs in likematch-cluster.
bool needs_cluster(int argc, char** argv) {
  int command = 1;
  while (command < argc && argv[command][0] == '-') {
    ++command;
  }
  if (command == argc) {
    return false;
  }
  const std::string_view name = argv[command];
  if (name == "worker") {
    return true;
  }
  if (name != "serve") {
    return false;
  }
  for (int i = command + 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--jetstream" || arg.starts_with("--jetstream=")) {
      return true;
    }
  }
  return false;
}

// Beside the running binary first (the build directory, the tests), then where the package
// installs it relative to the binary's directory (LIKEMATCH_CLUSTER_FROM_BINDIR, from CMake:
// ../libexec/likematch/likematch-cluster for /usr/bin/likematch). None when the binary's
// directory is unknown (no /proc): `tried` says so.
std::vector<std::filesystem::path> candidates(std::string& tried) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    tried = "nothing: /proc/self/exe: " + error.message();
    return {};
  }
  const std::filesystem::path dir = self.parent_path();
  return {dir / "likematch-cluster", (dir / LIKEMATCH_CLUSTER_FROM_BINDIR).lexically_normal()};
}

}  // namespace

std::optional<int> hand_over_to_cluster(int argc, char** argv) {
  if (!needs_cluster(argc, argv)) {
    return std::nullopt;
  }
  std::string tried;
  for (const std::filesystem::path& path : candidates(tried)) {
    std::vector<char*> args(argv, argv + argc + 1);  // argv[argc] is the null that ends it
    std::string program = path.string();
    args[0] = program.data();
    ::execv(program.c_str(), args.data());
    // Only returns on failure; a missing file means "try the next place".
    const int reason = errno;
    tried += tried.empty() ? "" : ", ";
    tried += program;
    if (reason != ENOENT) {
      std::fprintf(stderr, "likematch: cannot run %s: %s\n", program.c_str(),
                   std::strerror(reason));
      return k_exit_failure;
    }
  }
  std::fprintf(stderr,
               "likematch: worker and serve --jetstream run in likematch-cluster, which is not "
               "installed (tried %s)\n",
               tried.c_str());
  return k_exit_failure;
}

}  // namespace likematch::cli
