#pragma once

#include <string>

#include "core/session/session_report.hpp"

namespace likematch::cli {

// The one line that ends every session in serve's log: "session 1 (EVENT END): 1000000
// events, 641 matches, ..., 1 listener, verdict MATCH END - OK, rule variants agree".
std::string format_summary(const SessionReport& report);

// "1 listener, verdict MATCH END - OK"; "2 listeners, verdicts: 1 MATCH END - OK, 1 MATCH END
// - ERROR"; each listener counted with its own verdict.
std::string describe_verdicts(const SessionReport& report);

}  // namespace likematch::cli
