#pragma once

namespace likematch::cli {

// Every way the process can end, in one place (the man page's EXIT STATUS): each command
// returns one of these, and each status means one thing whichever command gives it.
enum ExitStatus : int {
  k_exit_ok = 0,
  k_exit_failure = 1,  // I/O errors, MATCH END - ERROR, anything not below
  k_exit_usage = 2,    // bad command line
  // No verdict came: a timeout, a connection that never opened or a peer that left without
  // MATCH END (harness, serve --connect, demo). Not 2: a script must tell it from a typo.
  k_exit_no_verdict = 3,
  k_exit_data_error = 65  // EX_DATAERR: bad input under --strict
};

}  // namespace likematch::cli
