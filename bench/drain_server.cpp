// FLOOR for `likematch serve`, not part of likematch: the least a server can do for the
// harness. Listens on the source and listener ports of 127.0.0.1, reads the source's bytes
// without parsing them (it only looks whether they end with "EVENT END"), and once the
// source has ended and a listener is connected, sends a precomputed match list in one write.
// Serves one session after another until killed, like `likematch serve`.
//
//   drain_server SOURCE_PORT LISTENER_PORT MATCHES_FILE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace {

constexpr std::size_t k_buffer = std::size_t{1} << 20;

int listen_on(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 4) != 0) {
    std::fprintf(stderr, "drain_server: port %d: %s\n", port, std::strerror(errno));
    std::exit(1);
  }
  return fd;
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t wrote = ::write(fd, bytes.data(), bytes.size());
    if (wrote < 0 && errno == EINTR) {
      continue;
    }
    if (wrote <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(wrote));
  }
  return true;
}

// One session's connections and whether the source has ended.
struct Session {
  int source = -1;
  int listener = -1;
  bool ended = false;
  bool sent = false;
  std::string tail;  // the last bytes of the source, to see "EVENT END" split across reads
};

void close_session(Session& session) {
  for (int fd : {session.source, session.listener}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  session = Session{};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: drain_server SOURCE_PORT LISTENER_PORT MATCHES_FILE\n");
    return 2;
  }
  std::ifstream file(argv[3]);
  std::stringstream matches;
  matches << file.rdbuf();
  const std::string list = matches.str();
  const int source_listen = listen_on(std::atoi(argv[1]));
  const int listener_listen = listen_on(std::atoi(argv[2]));
  char* buffer = static_cast<char*>(std::aligned_alloc(64, k_buffer));

  Session session;
  while (true) {
    pollfd fds[4] = {{source_listen, POLLIN, 0},
                     {listener_listen, POLLIN, 0},
                     {session.source, POLLIN, 0},
                     {session.listener, POLLIN, 0}};
    if (::poll(fds, 4, -1) < 0) {
      continue;
    }
    if ((fds[0].revents & POLLIN) != 0 && session.source == -1) {
      session.source = ::accept(source_listen, nullptr, nullptr);
    }
    if ((fds[1].revents & POLLIN) != 0 && session.listener < 0) {
      session.listener = ::accept(listener_listen, nullptr, nullptr);
      const int one = 1;
      ::setsockopt(session.listener, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    if ((fds[2].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t got = ::read(session.source, buffer, k_buffer);
      if (got <= 0) {
        session.ended = true;
        ::close(session.source);
        session.source = -2;  // ended: no other source is accepted in this session
      } else {
        session.tail.append(buffer + (got > 16 ? got - 16 : 0), got > 16 ? 16 : got);
        if (session.tail.size() > 16) {
          session.tail.erase(0, session.tail.size() - 16);
        }
        const std::string_view tail = session.tail;
        session.ended = tail.ends_with("EVENT END\n") || tail.ends_with("EVENT END\r\n");
      }
    }
    if ((fds[3].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      // MATCH BEGIN, then the verdict: once the list is out, any line or a close ends it.
      const ssize_t got = ::read(session.listener, buffer, k_buffer);
      if (got <= 0 || (session.sent &&
                       std::string_view(buffer, got).find("MATCH END") != std::string_view::npos)) {
        close_session(session);
        continue;
      }
    }
    if (session.ended && session.listener >= 0 && !session.sent) {
      session.sent = write_all(session.listener, list);
    }
  }
}
