// One client connection as httplib reads and writes it, with the limits that httplib 0.11.4's
// own socket stream lacks (it times out each read, so a head sent a byte at a time never ends,
// and it reads a request without Content-Length until the client hangs up). Internal to web/:
// GuardedServer (web/guarded_server.h) makes one per connection and passes it to
// httplib::Server::process_request for each request in turn.
//
// A request's head (request line and headers) must be complete by the deadline BeginRequest
// sets and within kMaxHeadBytes; otherwise the stream answers 408 or 431 itself (a JSON error
// body, "Connection: close"), reports end of input to httplib, refuses httplib's own answer,
// and Spoiled() turns true. A head with neither Content-Length nor Transfer-Encoding announces
// no body (RFC 9112 section 6.3): its body reads as empty at once. Body bytes must keep coming:
// each wait for them is limited to the read timeout. Unread bytes stay buffered for the next
// request on the connection.
//
// What httplib writes is held back and sent together: before the stream next waits for input
// (a "100 Continue" reaches the client before its body is read), when the held bytes would pass
// kMaxUnsentBytes (a long body goes out as it is written), and at Flush, which the owner calls
// once a request is answered. httplib writes an answer's head and its body separately; sent
// apart they take two trips through the kernel's TCP path and wake the client twice. Reads and
// sends are tried first and waited for only when the socket is not ready, so a kept-alive
// request costs one recv and one send where it took four polls, a peek, a recv and two sends.
// Each wait for the client to take bytes is limited to the write timeout.
//
// Not thread-safe: one worker uses it at a time. The socket stays the caller's to close.
#pragma once

#include <httplib.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

namespace rectify::web {

class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;

  static constexpr std::size_t kMaxHeadBytes = 64 << 10;
  // The most bytes held back before they are sent (see above): a JSON answer fits.
  static constexpr std::size_t kMaxUnsentBytes = 16 << 10;

  ConnectionStream(socket_t sock, std::chrono::milliseconds read_timeout, std::chrono::milliseconds write_timeout);

  // Waits until the next request's first byte is here, until `until`, giving up early once
  // `give_up` answers true (asked every few milliseconds). False when the client closed the
  // connection, sent nothing in time, or was given up on.
  bool AwaitRequest(Clock::time_point until, const std::function<bool()>& give_up);
  // Starts reading a request whose head must be complete by `head_deadline`.
  void BeginRequest(Clock::time_point head_deadline);
  // Sends what was written and held back. False when the client did not take it in time or the
  // connection failed: the stream is spoiled then.
  bool Flush();
  // True once a head was too slow or too large (the stream has answered and refuses writes):
  // the connection must be closed.
  bool Spoiled() const { return spoiled_; }
  // Answers `status` with a JSON body before any request was read (whatever part of a head has
  // already arrived is discarded first, without waiting for more) and spoils the stream.
  void Refuse(int status, const std::string& json_body);
  // The client's address ("203.0.113.9"), or empty when the socket has no peer.
  const std::string& remote_address() const { return remote_address_; }

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return sock_; }

 private:
  enum class Phase { kHead, kBody, kNoBody };

  // Reads into the empty buffer: the bytes read, 0 at the end of input, -1 on a timeout or an
  // error (a head that timed out has been answered).
  ssize_t Fill();
  // Sends `size` bytes, each wait for room limited to the write timeout; false on a failure.
  bool SendAll(const char* bytes, std::size_t size);
  // Waits until the socket is readable, until `until`; false at the deadline or on an error.
  bool WaitReadable(Clock::time_point until) const;
  // The deadline of the next wait for bytes in the current phase.
  Clock::time_point ReadDeadline() const;
  // Follows each byte handed to httplib while a head is read: its size, its header names,
  // where it ends.
  void ScanHead(char c);
  void AnswerAndSpoil(int status, const std::string& json_body);

  const socket_t sock_;
  const std::chrono::milliseconds read_timeout_;
  const std::chrono::milliseconds write_timeout_;
  std::string remote_address_;
  int remote_port_ = 0;
  std::string local_address_;
  int local_port_ = 0;

  std::array<char, 4096> buffer_{};
  std::size_t buffer_begin_ = 0;
  std::size_t buffer_end_ = 0;

  Phase phase_ = Phase::kHead;
  Clock::time_point head_deadline_;
  std::size_t head_bytes_ = 0;
  int head_lines_ = 0;               // complete lines of the head so far
  std::size_t head_line_length_ = 0; // bytes of the current line, its CR LF excluded
  std::string head_line_start_;      // its first bytes, lower case: enough for a header's name
  bool announces_body_ = false;      // a Content-Length or Transfer-Encoding header
  std::string unsent_;               // written by httplib, not sent yet (Flush)
  bool spoiled_ = false;
};

}  // namespace rectify::web
