#include "tests/notifier/smtp_server.h"

#include <algorithm>
#include <cctype>

#include "tests/notifier/test_crypto.h"

namespace rectify::testing {
namespace {

bool StartsWithCommand(const std::string& line, const std::string& command) {
  if (line.size() < command.size()) return false;
  for (std::size_t i = 0; i < command.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(line[i])) != command[i]) return false;
  return true;
}

// "MAIL FROM:<a@b> SIZE=10" -> "a@b"
std::string AngleAddress(const std::string& line) {
  const std::size_t open = line.find('<');
  const std::size_t close = line.find('>', open);
  if (open == std::string::npos || close == std::string::npos) return {};
  return line.substr(open + 1, close - open - 1);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::map<std::string, std::string> ReceivedMail::Headers() const {
  std::map<std::string, std::string> headers;
  std::string last;
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t end = data.find("\r\n", pos);
    if (end == std::string::npos) end = data.size();
    const std::string line = data.substr(pos, end - pos);
    pos = end + 2;
    if (line.empty()) break;
    if ((line[0] == ' ' || line[0] == '\t') && !last.empty()) {
      headers[last] += line;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    last = Lower(line.substr(0, colon));
    headers[last] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return headers;
}

std::string ReceivedMail::DecodedSubject() const {
  const std::string subject = Headers()["subject"];
  std::string out;
  std::size_t pos = 0;
  // Whitespace between adjacent encoded-words is not part of the text (RFC 2047 §6.2).
  while (pos < subject.size()) {
    const std::size_t start = subject.find("=?", pos);
    if (start == std::string::npos) {
      out += subject.substr(pos);
      break;
    }
    const std::string between = subject.substr(pos, start - pos);
    if (between.find_first_not_of(" \t") != std::string::npos) out += between;
    const std::size_t charset_end = subject.find('?', start + 2);
    const std::size_t end = subject.find("?=", charset_end + 3);
    const std::string encoding = subject.substr(charset_end + 1, 1);
    const std::string text = subject.substr(charset_end + 3, end - charset_end - 3);
    out += (encoding == "B" || encoding == "b") ? DecodeBase64(text) : text;
    pos = end + 2;
  }
  return out;
}

std::string ReceivedMail::DecodedBody() const {
  const std::size_t start = data.find("\r\n\r\n");
  const std::string body = start == std::string::npos ? "" : data.substr(start + 4);
  if (Lower(Headers()["content-transfer-encoding"]) != "base64") return body;
  return DecodeBase64(body);
}

SmtpServer::SmtpServer() : listener_([this](int socket) { Serve(socket); }) {}

void SmtpServer::RefuseRecipient(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  refused_.push_back(address);
}

std::vector<ReceivedMail> SmtpServer::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

void SmtpServer::Serve(int socket) {
  std::string buffer, line;
  ReceivedMail mail;
  WriteAll(socket, "220 127.0.0.1 rectify test SMTP\r\n");
  while (ReadLine(socket, buffer, line)) {
    if (StartsWithCommand(line, "EHLO")) {
      mail.greeting = line.size() > 5 ? line.substr(5) : "";
      WriteAll(socket, "250-127.0.0.1 greets you\r\n250 8BITMIME\r\n");
    } else if (StartsWithCommand(line, "HELO")) {
      mail.greeting = line.size() > 5 ? line.substr(5) : "";
      WriteAll(socket, "250 127.0.0.1\r\n");
    } else if (StartsWithCommand(line, "MAIL FROM:")) {
      mail.mail_from = AngleAddress(line);
      mail.rcpt_to.clear();
      WriteAll(socket, "250 OK\r\n");
    } else if (StartsWithCommand(line, "RCPT TO:")) {
      const std::string address = AngleAddress(line);
      std::lock_guard<std::mutex> lock(mutex_);
      if (std::find(refused_.begin(), refused_.end(), address) != refused_.end()) {
        WriteAll(socket, "550 5.1.1 no such mailbox\r\n");
      } else {
        mail.rcpt_to.push_back(address);
        WriteAll(socket, "250 OK\r\n");
      }
    } else if (StartsWithCommand(line, "DATA")) {
      WriteAll(socket, "354 end with <CRLF>.<CRLF>\r\n");
      mail.data.clear();
      while (ReadLine(socket, buffer, line) && line != ".") {
        mail.data += (line.rfind("..", 0) == 0 ? line.substr(1) : line) + "\r\n";
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        received_.push_back(mail);
      }
      WriteAll(socket, "250 OK queued\r\n");
    } else if (StartsWithCommand(line, "RSET") || StartsWithCommand(line, "NOOP")) {
      WriteAll(socket, "250 OK\r\n");
    } else if (StartsWithCommand(line, "QUIT")) {
      WriteAll(socket, "221 bye\r\n");
      return;
    } else {
      WriteAll(socket, "502 command not implemented\r\n");
    }
  }
}

}  // namespace rectify::testing
