// The upload decoder of the evidence and ledger routes (web/upload.h): the file part of a
// multipart/form-data request, as cpp-httplib hands it over, is its name up to the first NUL
// byte and its bytes after it. An accepted upload has a cleaned name (engine/attachments.h's
// CleanFileName) and a recognised type, and the download header that names it cannot be broken.
#include <httplib.h>

#include <string>

#include "tests/fuzz/fuzz_support.h"
#include "web/http_reply.h"
#include "web/upload.h"

using namespace rectify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = fuzz::AsText(data, size);
  const std::size_t nul = input.find('\0');
  httplib::Request req;
  req.set_header("Content-Type", "multipart/form-data; boundary=fuzz");
  httplib::MultipartFormData part;
  part.name = "file";
  part.filename = std::string(input.substr(0, nul));
  if (nul != std::string_view::npos) part.content = std::string(input.substr(nul + 1));
  req.files.emplace("file", part);

  httplib::Response res;
  const auto upload = web::TakeUpload(req, res);
  if (!upload) {
    fuzz::Require(res.status == 400 || res.status == 413 || res.status == 415, "a refused upload is 400, 413 or 415");
    return 0;
  }
  const std::string& name = upload->name;
  fuzz::Require(!name.empty() && name.size() <= 200 && name != "." && name != "..", "a stored name is a usable file name");
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    fuzz::Require(byte >= 0x20 && byte != 0x7F && c != '/' && c != '\\', "a stored name has no control byte or path");
  }
  const std::string disposition = web::AttachmentDisposition(name, name);
  fuzz::Require(disposition.find_first_of("\r\n") == std::string::npos, "Content-Disposition stays one header line");
  return 0;
}
