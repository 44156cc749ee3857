#include "web/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace rectify::web {
namespace {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

// Waits for `events` on `sock` until `until`; true when they came.
bool Poll(socket_t sock, short events, ConnectionStream::Clock::time_point until) {
  for (;;) {
    const auto left = duration_cast<milliseconds>(until - ConnectionStream::Clock::now()).count();
    pollfd fd{sock, events, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(std::max<long long>(left, 0)));
    if (ready > 0) return (fd.revents & (events | POLLHUP | POLLERR)) != 0;
    if (ready == 0) return false;
    if (errno != EINTR) return false;
  }
}

// "203.0.113.9" or "2001:db8::1" and the port of a socket address.
void Describe(const sockaddr_storage& address, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    if (inet_ntop(AF_INET, &v4.sin_addr, text, sizeof(text)) != nullptr) ip = text;
    port = ntohs(v4.sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    if (inet_ntop(AF_INET6, &v6.sin6_addr, text, sizeof(text)) != nullptr) ip = text;
    port = ntohs(v6.sin6_port);
  }
}

std::string Response(int status, const char* reason, const std::string& json_body) {
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(json_body.size()) +
         "\r\nConnection: close\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n" + json_body;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 408: return "Request Timeout";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    default: return "Error";
  }
}

}  // namespace

ConnectionStream::ConnectionStream(socket_t sock, milliseconds read_timeout, milliseconds write_timeout)
    : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {
  sockaddr_storage peer{};
  socklen_t length = sizeof(peer);
  if (::getpeername(sock_, reinterpret_cast<sockaddr*>(&peer), &length) == 0)
    Describe(peer, remote_address_, remote_port_);
  // Once, not at each request (httplib asks for every request's LOCAL_ADDR and LOCAL_PORT).
  sockaddr_storage local{};
  length = sizeof(local);
  if (::getsockname(sock_, reinterpret_cast<sockaddr*>(&local), &length) == 0)
    Describe(local, local_address_, local_port_);
}

bool ConnectionStream::AwaitRequest(Clock::time_point until, const std::function<bool()>& give_up) {
  if (!Flush()) return false;
  if (buffer_begin_ < buffer_end_) return true;  // pipelined: already here
  constexpr milliseconds kSlice(20);
  for (;;) {
    // Read first: a busy client's next request is often here already, and needs no poll.
    const ssize_t received = ::recv(sock_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (received > 0) {
      buffer_begin_ = 0;
      buffer_end_ = static_cast<std::size_t>(received);
      return true;
    }
    if (received == 0) return false;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    if (Clock::now() >= until) return false;
    if (!Poll(sock_, POLLIN, std::min(until, Clock::now() + kSlice)) && give_up()) return false;
  }
}

void ConnectionStream::BeginRequest(Clock::time_point head_deadline) {
  phase_ = Phase::kHead;
  head_deadline_ = head_deadline;
  head_bytes_ = 0;
  head_lines_ = 0;
  head_line_length_ = 0;
  head_line_start_.clear();
  announces_body_ = false;
}

void ConnectionStream::Refuse(int status, const std::string& json_body) {
  // Whatever has come is read, so that closing does not reset the connection under the answer.
  char discard[4096];
  while (::recv(sock_, discard, sizeof(discard), MSG_DONTWAIT) > 0) {
  }
  AnswerAndSpoil(status, json_body);
  ::shutdown(sock_, SHUT_WR);
}

bool ConnectionStream::is_readable() const {
  if (spoiled_) return false;
  // With bytes held back the client may be waiting for them before it sends more: the read
  // that follows sends them first, then waits as usual.
  return buffer_begin_ < buffer_end_ || phase_ == Phase::kNoBody || !unsent_.empty() ||
         WaitReadable(ReadDeadline());
}

bool ConnectionStream::is_writable() const {
  return !spoiled_ && Poll(sock_, POLLOUT, Clock::now() + write_timeout_);
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (spoiled_) return -1;
  if (phase_ == Phase::kNoBody || size == 0) return 0;
  if (buffer_begin_ == buffer_end_) {
    const ssize_t filled = Fill();
    if (filled <= 0) return filled;
  }
  std::size_t count = std::min(size, buffer_end_ - buffer_begin_);
  if (phase_ == Phase::kHead) {
    // Up to the end of the head at most: what follows is the body, or the next request.
    const char* bytes = buffer_.data() + buffer_begin_;
    std::size_t scanned = 0;
    while (scanned < count && phase_ == Phase::kHead) ScanHead(bytes[scanned++]);
    count = scanned;
    if (head_bytes_ > kMaxHeadBytes) {
      AnswerAndSpoil(431, R"({"error":"headers_too_large","message":"the request line and headers are over )" +
                              std::to_string(kMaxHeadBytes) + R"( bytes"})");
      return -1;
    }
  }
  std::memcpy(ptr, buffer_.data() + buffer_begin_, count);
  buffer_begin_ += count;
  return static_cast<ssize_t>(count);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (spoiled_) return -1;
  if (unsent_.size() + size > kMaxUnsentBytes) {
    if (!Flush()) return -1;
    if (size > kMaxUnsentBytes) {
      if (SendAll(ptr, size)) return static_cast<ssize_t>(size);
      spoiled_ = true;
      return -1;
    }
  }
  unsent_.append(ptr, size);
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::Flush() {
  if (spoiled_) return false;
  if (unsent_.empty()) return true;
  const bool sent = SendAll(unsent_.data(), unsent_.size());
  unsent_.clear();
  if (!sent) spoiled_ = true;
  return sent;
}

bool ConnectionStream::SendAll(const char* bytes, std::size_t size) {
  std::size_t sent = 0;
  while (sent < size) {
    const ssize_t n = ::send(sock_, bytes + sent, size - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && Poll(sock_, POLLOUT, Clock::now() + write_timeout_))
      continue;
    return false;
  }
  return true;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_address_;
  port = remote_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = local_address_;
  port = local_port_;
}

ssize_t ConnectionStream::Fill() {
  if (!Flush()) return -1;  // the client may wait for these before it sends more
  buffer_begin_ = buffer_end_ = 0;
  for (;;) {
    // Read first, wait only when nothing has come: most reads find their bytes here already.
    const ssize_t received = ::recv(sock_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (received > 0) {
      buffer_end_ = static_cast<std::size_t>(received);
      return received;
    }
    if (received == 0) return 0;
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    if (errno == EINTR) continue;
    if (!WaitReadable(ReadDeadline())) {
      if (phase_ == Phase::kHead && head_bytes_ > 0)
        AnswerAndSpoil(408, R"({"error":"request_timeout","message":"the request line and headers did not arrive in time"})");
      spoiled_ = true;
      return -1;
    }
  }
}

bool ConnectionStream::WaitReadable(Clock::time_point until) const { return Poll(sock_, POLLIN, until); }

ConnectionStream::Clock::time_point ConnectionStream::ReadDeadline() const {
  return phase_ == Phase::kHead ? head_deadline_ : Clock::now() + read_timeout_;
}

void ConnectionStream::ScanHead(char c) {
  constexpr std::size_t kNameBytes = 20;  // "transfer-encoding:" fits
  ++head_bytes_;
  if (c == '\r') return;
  if (c != '\n') {
    ++head_line_length_;
    if (head_line_start_.size() < kNameBytes)
      head_line_start_ += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return;
  }
  if (head_lines_ > 0 && head_line_length_ == 0) {  // the blank line that ends the head
    phase_ = announces_body_ ? Phase::kBody : Phase::kNoBody;
    return;
  }
  const std::string_view start(head_line_start_);
  if (head_lines_ > 0 && (start.rfind("content-length:", 0) == 0 || start.rfind("transfer-encoding:", 0) == 0))
    announces_body_ = true;
  ++head_lines_;
  head_line_length_ = 0;
  head_line_start_.clear();
}

void ConnectionStream::AnswerAndSpoil(int status, const std::string& json_body) {
  if (spoiled_) return;
  const std::string response = Response(status, ReasonPhrase(status), json_body);
  std::size_t sent = 0;
  while (sent < response.size() && Poll(sock_, POLLOUT, Clock::now() + write_timeout_)) {
    const ssize_t n = ::send(sock_, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  spoiled_ = true;
}

}  // namespace rectify::web
