#include <csignal>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/app.hpp"
#include "cli/cluster_exec.hpp"
#include "cli/exit_status.hpp"

int main(int argc, char** argv) {
  using namespace likematch::cli;
  // A closed pipe (`likematch replay | head`) is a write error to handle, not a death.
  std::signal(SIGPIPE, SIG_IGN);
#ifdef LIKEMATCH_HAND_OVER_TO_CLUSTER
  // `likematch` has no cluster code: worker and serve --jetstream run in likematch-cluster.
  if (const auto status = hand_over_to_cluster(argc, argv)) {
    return *status;
  }
#endif

  AppOptions options;
  const auto app = make_app(options);
  if (const auto status = parse_command_line(*app, std::vector<std::string>(argv + 1, argv + argc),
                                             std::cout, std::cerr)) {
    return *status;
  }
  try {
    return run_command(*app, options);
  } catch (const std::exception& error) {
    // Not fmt::print: it throws when standard error cannot be written either (`2>&1 | head`
    // after the reader left), and an exception out of main aborts.
    std::fprintf(stderr, "likematch: %s\n", error.what());
    return k_exit_failure;
  }
}
