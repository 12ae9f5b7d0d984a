#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/captured_output.hpp"
#include "tests/support/files.hpp"

extern char** environ;

namespace likematch::test {

// A program and its arguments as posix_spawn takes them.
class Argv {
 public:
  Argv(const std::string& program, const std::vector<std::string>& args) : m_storage{program} {
    m_storage.insert(m_storage.end(), args.begin(), args.end());
    for (std::string& arg : m_storage) {
      m_pointers.push_back(arg.data());
    }
    m_pointers.push_back(nullptr);
  }
  char* const* data() { return m_pointers.data(); }

 private:
  std::vector<std::string> m_storage;
  std::vector<char*> m_pointers;
};

// Where the child's standard output goes.
enum class Stdout {
  file,         // a temporary file, read back into ProcessResult::out
  closed_pipe,  // a pipe nobody reads: every write fails with EPIPE, as after `| head`
  full,         // /dev/full: every write fails with ENOSPC (`>/dev/full`)
};

// Where the child's standard error goes.
enum class Stderr {
  file,    // a temporary file, read back into ProcessResult::err
  full,    // /dev/full: every write fails with ENOSPC (`2>/dev/full`)
  closed,  // not open at all (`2>&-`)
};

// Waits for `pid` to exit, for at most `timeout` (none: for as long as it takes); one that does
// not is killed and named in the exception, so that a test fails instead of hanging.
inline int wait_for_exit(pid_t pid, std::optional<std::chrono::milliseconds> timeout,
                         const std::string& program, const std::vector<std::string>& args) {
  int wait_status = 0;
  if (!timeout) {
    ::waitpid(pid, &wait_status, 0);
  } else {
    const auto deadline = std::chrono::steady_clock::now() + *timeout;
    while (::waitpid(pid, &wait_status, WNOHANG) != pid) {
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &wait_status, 0);
        std::string command = program;
        for (const std::string& arg : args) {
          command += " " + arg;
        }
        throw std::runtime_error("`" + command + "` did not end within " +
                                 std::to_string(timeout->count()) + " ms: killed");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
}

// Runs `program` with `args` to completion, `input` on its stdin (or the file `stdin_path`,
// when given: `<PATH`); stdout and stderr go to temporary files, so that no pipe can fill up
// and block it. With `timeout`, one that runs longer fails the test (wait_for_exit).
inline ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                                 const std::string& input = "", Stdout to = Stdout::file,
                                 Stderr err_to = Stderr::file, const std::string& stdin_path = "",
                                 std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  if (in == nullptr || out == nullptr || err == nullptr) {
    throw std::runtime_error("tmpfile() failed");
  }
  std::fwrite(input.data(), 1, input.size(), in);
  std::fflush(in);
  std::rewind(in);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdin_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, fileno(in), 0);
  } else {
    posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  }
  int pipe_ends[2] = {-1, -1};
  if (to == Stdout::closed_pipe) {
    if (::pipe(pipe_ends) != 0) {
      throw std::runtime_error("pipe() failed");
    }
    ::close(pipe_ends[0]);
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
  } else if (to == Stdout::full) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/full", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&actions, fileno(out), 1);
  }
  switch (err_to) {
    case Stderr::file:
      posix_spawn_file_actions_adddup2(&actions, fileno(err), 2);
      break;
    case Stderr::full:
      posix_spawn_file_actions_addopen(&actions, 2, "/dev/full", O_WRONLY, 0);
      break;
    case Stderr::closed:
      posix_spawn_file_actions_addclose(&actions, 2);
      break;
  }

  Argv argv(program, args);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (pipe_ends[1] != -1) {
    ::close(pipe_ends[1]);
  }
  ProcessResult result;
  if (spawned == 0) {
    try {
      result.status = wait_for_exit(pid, timeout, program, args);
    } catch (...) {
      std::fclose(in);
      std::fclose(out);
      std::fclose(err);
      throw;
    }
  }
  result.out = read_file(out);
  result.err = read_file(err);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  if (spawned != 0) {
    throw std::runtime_error("cannot start " + program);
  }
  return result;
}

}  // namespace likematch::test
