#include "engine/text.h"

#include <iconv.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>

namespace rectify {
namespace {

constexpr std::string_view kEllipsis = "…";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

struct Decoded {
  std::uint32_t code = 0;
  std::size_t length = 0;  // 0: malformed
};

// The well-formed sequence starting at `pos`, or length 0 when it is malformed.
Decoded DecodeAt(std::string_view text, std::size_t pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[pos + i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  std::uint32_t min = 0;
  std::uint32_t code = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min = 0x80, code = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min = 0x800, code = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, code = lead & 0x07u;
  } else {
    return {};
  }
  if (pos + length > text.size()) return {};
  for (std::size_t i = 1; i < length; ++i) {
    if (!IsContinuation(byte(i))) return {};
    code = (code << 6) | (byte(i) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return {};
  return {code, length};
}

bool IsLineSpace(std::uint32_t c) { return c == '\t' || c == '\n' || c == '\r'; }

// Characters stored text may not hold (tab and line breaks aside).
bool IsRefused(std::uint32_t c) {
  if (c < 0x20) return !IsLineSpace(c);
  if (c >= 0x7F && c <= 0x9F) return true;              // DEL and the C1 controls
  if (c >= 0xFDD0 && c <= 0xFDEF) return true;          // non-characters
  return (c & 0xFFFE) == 0xFFFE;                        // U+xFFFE and U+xFFFF in every plane
}

bool IsSpace(std::uint32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

std::string CodePointName(std::uint32_t c) {
  char name[16];
  std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(c));
  return name;
}

// `text` rebuilt character by character: each malformed byte becomes U+FFFD, each character
// goes through `keep(out, code, bytes)`, which appends what should stand for it.
template <class Keep>
std::string Rewrite(std::string_view text, Keep keep) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    if (d.length == 0) {
      out += kReplacement;
      ++pos;
      continue;
    }
    keep(out, d.code, text.substr(pos, d.length));
    pos += d.length;
  }
  return out;
}

// GB18030 (a superset of GBK and GB2312) to UTF-8 through the C library's iconv.
std::optional<std::string> FromGb18030(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out(bytes.size() * 2 + 16, '\0');
  std::string in(bytes);
  char* in_ptr = in.data();
  std::size_t in_left = in.size();
  char* out_ptr = out.data();
  std::size_t out_left = out.size();
  while (in_left > 0) {
    if (iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) != static_cast<std::size_t>(-1)) continue;
    if (errno != E2BIG) return std::nullopt;  // EILSEQ or EINVAL: not GB18030
    const std::size_t used = out.size() - out_left;
    out.resize(out.size() * 2);
    out_ptr = out.data() + used;
    out_left = out.size() - used;
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    if (d.length == 0) return false;
    pos += d.length;
  }
  return true;
}

Status CheckText(std::string_view field, std::string_view text, std::size_t max_characters) {
  std::size_t character = 0;
  for (std::size_t pos = 0; pos < text.size(); ++character) {
    const Decoded d = DecodeAt(text, pos);
    if (d.length == 0)
      return Status::InvalidArgument(std::string(field), "byte " + std::to_string(pos + 1) +
                                                             " is not UTF-8: send the text as UTF-8");
    if (IsRefused(d.code))
      return Status::InvalidArgument(std::string(field), "character " + std::to_string(character + 1) + " (" +
                                                             CodePointName(d.code) +
                                                             ") is a control or non-character and cannot be stored");
    pos += d.length;
  }
  if (character > max_characters)
    return Status::InvalidArgument(std::string(field), "is " + std::to_string(character) + " characters long: at most " +
                                                           std::to_string(max_characters));
  return Status::Ok();
}

bool IsBlank(std::string_view text) { return TrimSpace(text).empty(); }

std::string TrimSpace(std::string_view text) {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last non-space character
  bool seen = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const Decoded d = DecodeAt(text, pos);
    const std::size_t length = d.length == 0 ? 1 : d.length;
    if (d.length == 0 || !IsSpace(d.code)) {
      if (!seen) begin = pos;
      seen = true;
      end = pos + length;
    }
    pos += length;
  }
  return seen ? std::string(text.substr(begin, end - begin)) : std::string();
}

std::string RepairUtf8(std::string_view text) {
  return Rewrite(text, [](std::string& out, std::uint32_t, std::string_view bytes) { out.append(bytes); });
}

std::string XmlSafeText(std::string_view text) {
  return Rewrite(text, [](std::string& out, std::uint32_t code, std::string_view bytes) {
    if (!IsRefused(code)) out.append(bytes);
  });
}

Result<std::string> DecodeTextFile(std::string_view field, std::string_view bytes) {
  if (bytes.substr(0, kByteOrderMark.size()) == kByteOrderMark) bytes.remove_prefix(kByteOrderMark.size());
  if (IsValidUtf8(bytes)) return std::string(bytes);
  if (auto converted = FromGb18030(bytes)) return std::move(*converted);
  return Status::InvalidArgument(std::string(field), "the file is neither UTF-8 nor GBK text: save it as CSV UTF-8");
}

std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && IsContinuation(static_cast<unsigned char>(text[end]))) --end;
  return text.substr(0, end);
}

std::string Utf8Ellipsize(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  if (max_bytes < kEllipsis.size()) return std::string(Utf8Prefix(text, max_bytes));
  std::string out(Utf8Prefix(text, max_bytes - kEllipsis.size()));
  out += kEllipsis;
  return out;
}

std::string CleanLine(std::string_view text) {
  const std::string out = Rewrite(text, [](std::string& line, std::uint32_t code, std::string_view bytes) {
    if (IsLineSpace(code)) {
      line += ' ';
    } else if (code >= 0x20 && code != 0x7F) {
      line.append(bytes);
    }
  });
  const std::size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

namespace {

// Characters that show nothing: the soft hyphen, zero-width space, non-joiner and joiner,
// direction marks, embeddings, overrides and isolates, the word joiner and invisible
// operators, the byte-order mark.
bool IsInvisible(std::uint32_t c) {
  return c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

std::string WithoutInvisibles(std::string_view text) {
  return Rewrite(text, [](std::string& out, std::uint32_t code, std::string_view bytes) {
    if (!IsInvisible(code)) out.append(bytes);
  });
}

}  // namespace

std::string CleanTitle(std::string_view text) { return TrimSpace(WithoutInvisibles(text)); }

std::string CleanName(std::string_view text) { return TrimSpace(CleanLine(WithoutInvisibles(text))); }

std::string HalfWidth(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\xE3\x80\x80") {  // U+3000, the IME's space
      out += ' ';
      i += 2;
      continue;
    }
    const auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 == 0xEF && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      const unsigned code = ((b0 & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
      const bool sequence = (b1 & 0xC0u) == 0x80 && (b2 & 0xC0u) == 0x80;
      if (sequence && code >= 0xFF01 && code <= 0xFF5E) {
        out += static_cast<char>(code - 0xFEE0);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string FullWidth(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    if (c < '!' || c > '~') {
      out += c;
      continue;
    }
    const unsigned code = static_cast<unsigned char>(c) + 0xFEE0u;  // U+FF01..U+FF5E
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace rectify
