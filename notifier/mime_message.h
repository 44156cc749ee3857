// An e-mail as SMTP carries it: RFC 5322 headers, a UTF-8 subject as RFC 2047 encoded-words,
// and a text/plain UTF-8 body in base64 (so no line is too long and no server needs 8BITMIME).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engine/time.h"

namespace rectify::notifier {

struct MailMessage {
  std::string from;             // a bare address
  std::vector<std::string> to;  // bare addresses
  std::string subject;          // UTF-8, one line
  std::string body;             // UTF-8 text, lines separated by "\n"
  std::string idempotency_key;  // becomes the Message-ID, so a repeated send is recognisable
  Instant date = 0;
};

// "<3f0c…@example.cn>": a hash of the key at the sender's domain; equal keys give equal IDs.
std::string MessageIdFor(std::string_view idempotency_key, std::string_view from);

// "Tue, 26 Oct 2021 17:30:00 +0800" (RFC 5322 date, Asia/Shanghai).
std::string MailDate(Instant instant);

// "=?UTF-8?B?…?=" words of at most 64 characters each (so a header line stays within 76),
// folded with CRLF SP, never cutting a UTF-8 character between two words.
std::string EncodeHeaderWords(std::string_view text);

// The whole message with CRLF line ends, ready for SMTP DATA.
std::string BuildMime(const MailMessage& message);

}  // namespace rectify::notifier
