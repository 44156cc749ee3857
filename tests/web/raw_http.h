// HTTP/1.1 over a plain socket, for tests that need what a client library will not do: connect
// from a chosen loopback address (127.0.0.2, ...: the whole of 127/8 is this machine), send a
// request a piece at a time or not at all, keep a connection idle, read exactly one answer.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace rectify::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:`port` from `source` (any port).
  RawConnection(int port, const std::string& source = "127.0.0.1") : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &from.sin_addr);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&from), sizeof(from)) != 0)
      throw std::runtime_error("cannot bind " + source);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) != 0)
      throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the server has closed the connection (or it broke).
  bool Send(const std::string& bytes) {
    return fd_ >= 0 && ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }

  // One answer: its head and as many body bytes as its Content-Length says; empty when the
  // connection closed first or nothing complete came within `timeout`.
  std::string ReadAnswer(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const std::size_t head_end = pending_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const std::size_t length_at = pending_.find("Content-Length: ");
        const std::size_t length = length_at < head_end ? std::stoul(pending_.substr(length_at + 16)) : 0;
        if (pending_.size() >= head_end + 4 + length) {
          std::string answer = pending_.substr(0, head_end + 4 + length);
          pending_.erase(0, answer.size());
          return answer;
        }
      }
      if (!Receive(until)) return {};
    }
  }

  // True when the server closes the connection within `timeout` (bytes that come first are
  // kept for ReadAnswer).
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (Receive(until)) {
    }
    return closed_;
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  // Reads what comes before `until`; false at the deadline or once the server closed.
  bool Receive(std::chrono::steady_clock::time_point until) {
    if (fd_ < 0 || closed_) return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd ready{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool closed_ = false;
  std::string pending_;
};

// The status of an answer ("HTTP/1.1 429 ..." is 429), 0 for none.
inline int StatusOf(const std::string& answer) {
  return answer.size() > 12 && answer.compare(0, 5, "HTTP/") == 0 ? std::stoi(answer.substr(9, 3)) : 0;
}

// The body of an answer.
inline std::string BodyOf(const std::string& answer) {
  const std::size_t head_end = answer.find("\r\n\r\n");
  return head_end == std::string::npos ? std::string() : answer.substr(head_end + 4);
}

}  // namespace rectify::testing
