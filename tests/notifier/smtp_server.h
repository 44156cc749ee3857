// A small SMTP server for the e-mail tests, on a loopback socket: it speaks EHLO/HELO, MAIL
// FROM, RCPT TO, DATA (undoing dot-stuffing), RSET, NOOP and QUIT, offers no STARTTLS and no
// AUTH, and records every message it accepts.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tests/notifier/loopback_listener.h"

namespace rectify::testing {

struct ReceivedMail {
  std::string greeting;  // the EHLO or HELO argument
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // the message as sent, CRLF line ends, without the final "."

  // The headers, names lower-cased, folded lines unfolded.
  std::map<std::string, std::string> Headers() const;
  // The subject with its RFC 2047 encoded-words decoded.
  std::string DecodedSubject() const;
  // The body, decoded from base64 when the message says so.
  std::string DecodedBody() const;
};

class SmtpServer {
 public:
  SmtpServer();
  int port() const { return listener_.port(); }
  std::string Url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }

  // From now on, RCPT TO for this address is refused with 550.
  void RefuseRecipient(const std::string& address);
  std::vector<ReceivedMail> Received() const;

 private:
  void Serve(int socket);

  mutable std::mutex mutex_;
  std::vector<ReceivedMail> received_;
  std::vector<std::string> refused_;
  LoopbackListener listener_;  // last: it starts serving once everything above exists
};

}  // namespace rectify::testing
