// Sends one prepared MIME message over SMTP with libcurl's smtp:// and smtps:// support.
#pragma once

#include <string>
#include <vector>

#include "engine/status.h"

namespace rectify::notifier {

struct SmtpEnvelope {
  std::string url;  // "smtp://host:port" (STARTTLS when offered) or "smtps://host:port"
  std::string from;
  std::vector<std::string> to;
  std::string username;  // empty: no AUTH
  std::string password;
};

// Ok when the server accepted the message for every recipient. With credentials over
// smtp://, STARTTLS is required, so a password never crosses the wire in clear. Failures are
// kInternal naming `target` and the server's last reply code, never the password.
Status SmtpSend(const SmtpEnvelope& envelope, const std::string& mime, const std::string& target);

}  // namespace rectify::notifier
