// The tail, measured from outside: how long after the end of its input a program has written
// its last match. A fully shuffled stream is sent without the line of sequence number 1, so
// that nothing can be decided; after a pause (the program has read and buffered everything)
// that line follows, and the clock runs from its write to the read that brings the last
// expected number. Shares no code with likematch on purpose.
//
//   tail_driver serve SOURCE_PORT LISTENER_PORT EVENTS_FILE EXPECTED_COUNT RUNS PAUSE_MS
//       a listener on 127.0.0.1:LISTENER_PORT, a source on SOURCE_PORT (EVENT BEGIN, the
//       events, EVENT END after the last line), one session per run
//   tail_driver pipe EVENTS_FILE EXPECTED_COUNT RUNS PAUSE_MS COMMAND [ARG ...]
//       COMMAND reads the events on standard input and writes its matches to standard output
//       (likematch replay -); the input is closed after the last line, and the time to the
//       command's exit is given too
//
// Prints one line per run, then "tail ms: min MIN median MED max MAX" (and "exit ms: ..." for
// pipe).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "tail_driver: %s%s%s\n", what.c_str(), errno != 0 ? ": " : "",
               errno != 0 ? std::strerror(errno) : "");
  std::exit(1);
}

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// The stream cut in two: every line but the one of sequence number 1, then that line.
struct Split {
  std::string rest;
  std::string last;
};

Split split_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    die("cannot open " + path);
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Split split;
  split.rest.reserve(text.size());
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string_view line(text.data() + at, end - at);
    if (line.starts_with("1|")) {
      split.last.append(line);
    } else {
      split.rest.append(line);
    }
    at = end;
  }
  if (split.last.empty()) {
    die("no line of sequence number 1 in " + path);
  }
  return split;
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      die("write");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Reads until `expected` newlines have come (or the end); returns when the last one came.
std::optional<Clock::time_point> read_numbers(int fd, std::size_t expected) {
  std::vector<char> buffer(1 << 16);
  std::size_t lines = 0;
  if (expected == 0) {
    return Clock::now();
  }
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return std::nullopt;
    }
    const Clock::time_point now = Clock::now();
    lines += static_cast<std::size_t>(std::count(buffer.data(), buffer.data() + n, '\n'));
    if (lines >= expected) {
      return now;
    }
  }
}

int dial(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    die("socket");
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int attempt = 0;; ++attempt) {
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      break;
    }
    if (attempt == 100) {
      die("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

struct Run {
  double tail_ms = 0;
  std::optional<double> exit_ms;
};

Run serve_run(std::uint16_t source_port, std::uint16_t listener_port, const Split& split,
              std::size_t expected, int pause_ms) {
  const int listener = dial(listener_port);
  write_all(listener, "MATCH BEGIN\n");
  std::optional<Clock::time_point> done;
  std::thread reader([&] { done = read_numbers(listener, expected); });
  const int source = dial(source_port);
  write_all(source, "EVENT BEGIN\n");
  write_all(source, split.rest);
  std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  const Clock::time_point last_write = Clock::now();
  write_all(source, split.last + "EVENT END\n");
  reader.join();
  if (!done) {
    die("the server closed the listener before the last expected number");
  }
  write_all(listener, "MATCH END - OK\n");
  ::close(listener);
  ::close(source);
  return {ms_between(last_write, *done), std::nullopt};
}

Run pipe_run(char** command, const Split& split, std::size_t expected, int pause_ms) {
  int in[2];
  int out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0) {
    die("pipe");
  }
  const pid_t child = ::fork();
  if (child < 0) {
    die("fork");
  }
  if (child == 0) {
    ::dup2(in[0], 0);
    ::dup2(out[1], 1);
    ::close(in[0]);
    ::close(in[1]);
    ::close(out[0]);
    ::close(out[1]);
    ::execvp(command[0], command);
    std::_Exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  std::optional<Clock::time_point> done;
  std::thread reader([&] {
    done = read_numbers(out[0], expected);
    // Drain the rest, so that the command is never blocked on a full pipe.
    char sink[4096];
    while (::read(out[0], sink, sizeof sink) > 0) {
    }
  });
  write_all(in[1], split.rest);
  std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  const Clock::time_point last_write = Clock::now();
  write_all(in[1], split.last);
  ::close(in[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  const Clock::time_point exited = Clock::now();
  reader.join();
  ::close(out[0]);
  if (!done) {
    die("the command ended before the last expected number");
  }
  return {ms_between(last_write, *done), ms_between(last_write, exited)};
}

void print_spread(const char* what, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::printf("%s ms: min %.3f median %.3f max %.3f\n", what, values.front(),
              values[(values.size() - 1) / 2], values.back());
}

int usage() {
  std::fprintf(stderr,
               "usage: tail_driver serve SOURCE_PORT LISTENER_PORT EVENTS_FILE EXPECTED RUNS "
               "PAUSE_MS\n"
               "       tail_driver pipe EVENTS_FILE EXPECTED RUNS PAUSE_MS COMMAND [ARG ...]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    return usage();
  }
  const std::string mode = argv[1];
  std::vector<Run> runs;
  if (mode == "serve" && argc == 8) {
    const auto source_port = static_cast<std::uint16_t>(std::atoi(argv[2]));
    const auto listener_port = static_cast<std::uint16_t>(std::atoi(argv[3]));
    const Split split = split_file(argv[4]);
    const auto expected = static_cast<std::size_t>(std::atoll(argv[5]));
    const int count = std::atoi(argv[6]);
    const int pause_ms = std::atoi(argv[7]);
    for (int i = 0; i < count; ++i) {
      runs.push_back(serve_run(source_port, listener_port, split, expected, pause_ms));
      std::printf("run %d: tail %.3f ms\n", i + 1, runs.back().tail_ms);
      std::fflush(stdout);
      // Let the server see both closes before the next session's source connects.
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  } else if (mode == "pipe" && argc >= 7) {
    const Split split = split_file(argv[2]);
    const auto expected = static_cast<std::size_t>(std::atoll(argv[3]));
    const int count = std::atoi(argv[4]);
    const int pause_ms = std::atoi(argv[5]);
    for (int i = 0; i < count; ++i) {
      runs.push_back(pipe_run(argv + 6, split, expected, pause_ms));
      std::printf("run %d: tail %.3f ms, exit %.3f ms\n", i + 1, runs.back().tail_ms,
                  *runs.back().exit_ms);
      std::fflush(stdout);
    }
  } else {
    return usage();
  }
  if (runs.empty()) {
    return usage();
  }
  std::vector<double> tails;
  std::vector<double> exits;
  for (const Run& run : runs) {
    tails.push_back(run.tail_ms);
    if (run.exit_ms) {
      exits.push_back(*run.exit_ms);
    }
  }
  print_spread("tail", tails);
  if (!exits.empty()) {
    print_spread("exit", exits);
  }
  return 0;
}
