#pragma once

namespace likematch::cli {

// Every way the process can end, in one place (documented in the man page and README).
enum ExitStatus : int {
  k_exit_ok = 0,
  k_exit_failure = 1,     // I/O errors, a failed session, anything not below
  k_exit_usage = 2,       // bad command line
  k_exit_no_verdict = 2,  // harness: timeout or connection failure, no MATCH END came
  k_exit_data_error = 65  // EX_DATAERR: bad input under --strict
};

}  // namespace likematch::cli
