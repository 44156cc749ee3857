// A TCP listener on 127.0.0.1 with a port the kernel picks, handing each accepted connection
// to a handler on its own thread, one at a time. The base of the test SMTP server and of a
// receiver that hangs up without answering.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace rectify::testing {

class LoopbackListener {
 public:
  // `handler` owns the connected socket for the call; the listener closes it afterwards.
  using Handler = std::function<void(int socket)>;

  explicit LoopbackListener(Handler handler);  // throws std::runtime_error if it cannot listen
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  int port() const { return port_; }

 private:
  Handler handler_;
  int socket_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// A port on 127.0.0.1 where nothing listens (bound once by the kernel's choice, then closed):
// connecting to it is refused at once.
int UnusedLoopbackPort();

// Reads one line ending in CRLF (returned without it); false when the peer closed or 10 s
// passed without data.
bool ReadLine(int socket, std::string& buffer, std::string& line);
// Writes all of `text`.
void WriteAll(int socket, const std::string& text);

}  // namespace rectify::testing
