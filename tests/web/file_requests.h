// Uploading and downloading files over real HTTP with the fixture's users: multipart/form-data
// posts and raw (non-JSON) answers.
#pragma once

#include <httplib.h>

#include <stdexcept>
#include <string>

#include "tests/web/api_fixture.h"

namespace rectify::testing {

struct FileReply {
  int status = 0;
  std::string body;  // raw bytes
  json error;        // the body parsed, when it is JSON
  std::string content_type;
  std::string disposition;
};

inline httplib::Headers BearerOf(const ApiFixture::Login& who) { return {{"Authorization", "Bearer " + who.token}}; }

inline FileReply ReadFile(const httplib::Result& result) {
  if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
  FileReply reply;
  reply.status = result->status;
  reply.body = result->body;
  reply.error = json::parse(result->body, nullptr, false);
  reply.content_type = result->get_header_value("Content-Type");
  reply.disposition = result->get_header_value("Content-Disposition");
  return reply;
}

// POSTs `bytes` as the field "file" named `name`, claiming `claimed_type`.
inline FileReply Upload(ApiFixture& api, const ApiFixture::Login& who, const std::string& path,
                        const std::string& bytes, const std::string& name,
                        const std::string& claimed_type = "application/octet-stream") {
  const httplib::MultipartFormDataItems items = {{"file", bytes, name, claimed_type}};
  return ReadFile(api.client().Post(path.c_str(), BearerOf(who), items));
}

inline FileReply Download(ApiFixture& api, const ApiFixture::Login& who, const std::string& path) {
  return ReadFile(api.client().Get(path.c_str(), BearerOf(who)));
}

// The smallest files of each kind the server takes: only their first bytes matter.
inline std::string PngBytes() { return std::string("\x89PNG\r\n\x1A\n", 8) + std::string(100, '\x01'); }
inline std::string PdfBytes() { return "%PDF-1.4\n% signed and stamped ledger\n%%EOF\n"; }

}  // namespace rectify::testing
