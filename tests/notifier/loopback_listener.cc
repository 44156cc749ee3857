#include "tests/notifier/loopback_listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>
#include <tuple>
#include <utility>

namespace rectify::testing {
namespace {

// A new socket bound to 127.0.0.1 on a port the kernel picks, and that port.
std::pair<int, int> BindLoopback() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1");
  }
  return {fd, ntohs(address.sin_port)};
}

}  // namespace

LoopbackListener::LoopbackListener(Handler handler) : handler_(std::move(handler)) {
  std::tie(socket_, port_) = BindLoopback();
  if (::listen(socket_, 16) != 0) {
    ::close(socket_);
    throw std::runtime_error("listen() failed");
  }
  thread_ = std::thread([this] {
    while (!stopping_) {
      const int connection = ::accept(socket_, nullptr, nullptr);
      if (connection < 0) continue;  // woken by shutdown(), or a transient error
      timeval timeout{10, 0};
      ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
      handler_(connection);
      ::close(connection);
    }
  });
}

LoopbackListener::~LoopbackListener() {
  stopping_ = true;
  ::shutdown(socket_, SHUT_RDWR);  // wakes the blocked accept()
  thread_.join();
  ::close(socket_);
}

int UnusedLoopbackPort() {
  const auto [fd, port] = BindLoopback();
  ::close(fd);
  return port;
}

bool ReadLine(int socket, std::string& buffer, std::string& line) {
  for (;;) {
    const std::size_t end = buffer.find("\r\n");
    if (end != std::string::npos) {
      line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      return true;
    }
    char chunk[4096];
    const ssize_t n = ::recv(socket, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

void WriteAll(int socket, const std::string& text) {
  std::size_t sent = 0;
  while (sent < text.size()) {
    const ssize_t n = ::send(socket, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace rectify::testing
