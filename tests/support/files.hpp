#pragma once

// Files for tests: one way to read a file or a stdio stream whole, and a temporary directory.

#include <fcntl.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace likematch::test {

// The whole file, "" if it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// The whole file, "" if there is none.
inline std::string read_file_if_present(const std::filesystem::path& path) {
  return std::filesystem::exists(path) ? read_file(path) : std::string();
}

// A tmpfile() standing in for an output that is read while it is still written, by another
// thread or by a child given its descriptor. read_file() below rewinds the file's offset, which
// the writer shares: without O_APPEND the writer's next line would land where the reader left
// it, over earlier lines.
inline std::FILE* output_tmpfile() {
  std::FILE* file = std::tmpfile();
  if (file == nullptr) {
    throw std::runtime_error("tmpfile() failed");
  }
  const int flags = ::fcntl(fileno(file), F_GETFL);
  if (flags == -1 || ::fcntl(fileno(file), F_SETFL, flags | O_APPEND) == -1) {
    std::fclose(file);
    throw std::runtime_error("fcntl(O_APPEND) failed");
  }
  return file;
}

// Everything written to `file` so far, from its start (a tmpfile() standing in for an output).
inline std::string read_file(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char buffer[4096];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
    text.append(buffer, got);
  }
  return text;
}

// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "likematch-test-XXXXXX");
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `bytes` to NAME in the directory and returns its path.
  std::string write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path path = m_path / name;
    std::ofstream file(path, std::ios::binary);
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!file) {
      throw std::runtime_error("cannot write " + path.string());
    }
    return path.string();
  }

  std::string path(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

// The files in `directory`, sorted by name.
inline std::vector<std::filesystem::path> files_in(const std::string& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace likematch::test
