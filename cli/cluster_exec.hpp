#pragma once

#include <optional>

namespace likematch::cli {

// `likematch` is built without libnats, RocksDB and OpenSSL, so that every replay, serve,
// ... does not pay the dynamic loader for them; the commands that use them, `worker` and
// `serve --jetstream` (their --help included), run in likematch-cluster, built from the same
// sources with them. This replaces the process with likematch-cluster and the same arguments
// when the command line is one of those; it returns nothing when it is not, and the exit
// status after saying why (the paths tried) when likematch-cluster cannot be run.
std::optional<int> hand_over_to_cluster(int argc, char** argv);

}  // namespace likematch::cli
