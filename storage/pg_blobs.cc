#include "storage/pg_blobs.h"

#include "engine/attachments.h"

namespace rectify::pg {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::string ToHex(std::string_view bytes) {
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 0x0f];
  }
  return hex;
}

int HexValue(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  return -1;
}

Result<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Status::Internal("postgresql: a stored file came back as odd-length hex");
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    const int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) return Status::Internal("postgresql: a stored file came back as something other than hex");
    bytes += static_cast<char>((high << 4) | low);
  }
  return bytes;
}

}  // namespace

Status PutBlob(Conn& conn, const std::string& sha256, std::string_view bytes) {
  return conn
      .Prepare("INSERT INTO blobs (sha256, content) VALUES (?, decode(?, 'hex')) ON CONFLICT (sha256) DO NOTHING")
      .BindAll(sha256, ToHex(bytes))
      .Run();
}

Result<std::string> GetBlob(Conn& conn, const std::string& sha256) {
  if (!IsContentHash(sha256)) return Status::NotFound("no stored file " + sha256);
  Query query = conn.Prepare("SELECT encode(content, 'hex') FROM blobs WHERE sha256 = ?");
  query.BindAll(sha256);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no stored file " + sha256);
  return FromHex(query.Text(0));
}

}  // namespace rectify::pg
