#include "notifier/mime_message.h"

#include <cstdio>

#include "notifier/signing.h"
#include "engine/text.h"

namespace rectify::notifier {
namespace {

// 39 bytes encode to 52 characters: with "=?UTF-8?B?" and "?=" a word is 64, so even the
// first line, "Subject: " and a word, stays within RFC 2047's 76 characters.
constexpr std::size_t kWordBytes = 39;
constexpr std::size_t kBodyLineChars = 76;  // RFC 2045's limit for base64 lines

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace

std::string MessageIdFor(std::string_view idempotency_key, std::string_view from) {
  const std::size_t at = from.rfind('@');
  const std::string_view domain = at == std::string_view::npos ? "rectify.invalid" : from.substr(at + 1);
  return "<" + Sha256Hex(idempotency_key).substr(0, 32) + "@" + std::string(domain) + ">";
}

std::string MailDate(Instant instant) {
  static constexpr const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const CivilDate date = ShanghaiDate(instant);
  const Instant seconds = instant - ShanghaiInstant(date);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %d %s %04d %02d:%02d:%02d +0800", kDays[IsoWeekday(date) - 1], date.day,
                kMonths[date.month - 1], date.year, static_cast<int>(seconds / 3600),
                static_cast<int>(seconds % 3600 / 60), static_cast<int>(seconds % 60));
  return buffer;
}

std::string EncodeHeaderWords(std::string_view text) {
  std::vector<std::string> words;
  while (!text.empty()) {
    std::string_view chunk = Utf8Prefix(text, kWordBytes);
    if (chunk.empty()) chunk = text.substr(0, 1);  // malformed input: still make progress
    words.push_back("=?UTF-8?B?" + Base64(chunk) + "?=");
    text.remove_prefix(chunk.size());
  }
  return Join(words, "\r\n ");
}

std::string BuildMime(const MailMessage& message) {
  std::string mime;
  mime += "From: " + message.from + "\r\n";
  mime += "To: " + Join(message.to, ", ") + "\r\n";
  mime += "Subject: " + EncodeHeaderWords(CleanLine(message.subject)) + "\r\n";
  mime += "Date: " + MailDate(message.date) + "\r\n";
  mime += "Message-ID: " + MessageIdFor(message.idempotency_key, message.from) + "\r\n";
  mime += "MIME-Version: 1.0\r\n";
  mime += "Content-Type: text/plain; charset=UTF-8\r\n";
  mime += "Content-Transfer-Encoding: base64\r\n";
  mime += "\r\n";
  std::string body;
  for (const char c : message.body) {
    if (c == '\n')
      body += "\r\n";
    else if (c != '\r')
      body += c;
  }
  const std::string encoded = Base64(body);
  for (std::size_t pos = 0; pos < encoded.size(); pos += kBodyLineChars)
    mime += encoded.substr(pos, kBodyLineChars) + "\r\n";
  return mime;
}

}  // namespace rectify::notifier
