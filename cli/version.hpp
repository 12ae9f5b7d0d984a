#pragma once

#include <string>

namespace likematch::cli {

// "likematch 0.4.0 (git 1a2b3c4)", as --version prints it and serve's start line begins.
std::string version_text();

}  // namespace likematch::cli
