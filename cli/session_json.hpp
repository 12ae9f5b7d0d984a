#pragma once

#include <string>

#include "core/session/session_report.hpp"

namespace likematch::cli {

// The session's report as JSON object members, without the braces
// ("session":1,"end":"event_end","events":1000000,...), so that a log line can add them to
// its own time, level and message.
std::string session_json_fields(const SessionReport& report);

}  // namespace likematch::cli
