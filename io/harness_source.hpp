#pragma once

#include <asio.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <system_error>

namespace likematch::io {

// The harness's Event Source connection: writes its whole stream, in pieces of `chunk_bytes`
// when asked (so that the server sees lines split anywhere), then stays open until stopped,
// as a client that has said EVENT END but not hung up.
class HarnessSource : public std::enable_shared_from_this<HarnessSource> {
 public:
  // Called once: every byte written, or the write failed. Not called after stop().
  using DoneHandler = std::function<void(std::error_code)>;

  // `bytes` must outlive the source. chunk_bytes 0: one write of everything.
  HarnessSource(asio::ip::tcp::socket socket, std::string_view bytes, std::size_t chunk_bytes,
                DoneHandler on_done);
  HarnessSource(const HarnessSource&) = delete;
  HarnessSource& operator=(const HarnessSource&) = delete;

  void start();
  void stop();

  std::size_t written() const { return m_written; }

 private:
  void do_write();

  asio::ip::tcp::socket m_socket;
  std::string_view m_bytes;
  std::size_t m_chunk_bytes;
  DoneHandler m_on_done;
  std::size_t m_written = 0;
  bool m_stopped = false;
};

}  // namespace likematch::io
