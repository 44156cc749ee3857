// Byte-level care for the UTF-8 text that robots count in bytes: cutting without splitting a
// character, and cleaning text that came from users before it goes into JSON or a mail header.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rectify::notifier {

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary
// (a cut never leaves half of a multi-byte sequence). `text` is assumed to be valid UTF-8.
std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes);

// `text` itself when it fits in `max_bytes`; otherwise a prefix followed by "…", the whole
// within `max_bytes`.
std::string Utf8Ellipsize(std::string_view text, std::size_t max_bytes);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// One line of user text made safe to render: invalid bytes become U+FFFD, line breaks and
// tabs become spaces, other control characters are dropped, and the ends are trimmed.
std::string CleanLine(std::string_view text);

}  // namespace rectify::notifier
