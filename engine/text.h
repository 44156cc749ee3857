// Text as rectify accepts, stores and writes it: well-formed UTF-8 without control characters
// or Unicode non-characters. One decoder for the whole program.
//
// Every text a person gives (a JSON body, a CSV or XLSX cell, a file name, a query string, a
// path) is checked once, where it enters (CheckText), so nothing stored can later break an
// answer, a form or a message. What is written out (XLSX cells, CSV, messages) goes through the
// repairing functions as well, because a database written before these checks may hold anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace rectify {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// The longest text a field a person fills in takes, in characters: a note, a measure or a
// finding of a few pages. Longer could not be read on the page nor printed in a form's row.
inline constexpr std::size_t kMaxTextCharacters = 2000;
// A name: a household's head, a survey team member, a villagers' group, a user's display name.
inline constexpr std::size_t kMaxNameCharacters = 50;
// For text that is no field's value (a path, a header, a query parameter's value): no limit here.
inline constexpr std::size_t kAnyLength = static_cast<std::size_t>(-1);

// Ok when `text` is well-formed UTF-8 whose characters are all allowed in stored text: no C0
// control characters but tab, line feed and carriage return, no DEL or C1 controls, no
// non-characters (U+FFFE, U+FFFF, U+FDD0..U+FDEF and their kind in every plane: XML and
// spreadsheets refuse them), and no more than `max_characters` characters. kInvalidArgument
// naming `field` and the first offending character, or the length.
Status CheckText(std::string_view field, std::string_view text, std::size_t max_characters = kMaxTextCharacters);

// True when `text` holds nothing but white space (ASCII, U+00A0, U+3000 and the other Unicode
// spaces), or nothing at all: a required field so filled is missing.
bool IsBlank(std::string_view text);

// "a, b, c": names listed in a message.
std::string JoinNames(const std::vector<std::string>& names);

// `text` without leading and trailing white space (as IsBlank counts it).
std::string TrimSpace(std::string_view text);

// `text` with every malformed byte replaced by U+FFFD: for writing out what may have been
// stored before text was checked.
std::string RepairUtf8(std::string_view text);

// RepairUtf8, and every character CheckText refuses dropped (but tab and line breaks): what an
// XML document (an XLSX cell) and a spreadsheet's CSV may hold.
std::string XmlSafeText(std::string_view text);

// Bytes of a text file as UTF-8: a UTF-8 file (its byte-order mark dropped) as it is, otherwise
// a GB18030/GBK file (Excel's plain CSV on a Chinese Windows) converted. kInvalidArgument naming
// `field` when it is neither.
Result<std::string> DecodeTextFile(std::string_view field, std::string_view bytes);

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a character boundary
// (a cut never leaves half of a multi-byte sequence). `text` is assumed to be valid UTF-8.
std::string_view Utf8Prefix(std::string_view text, std::size_t max_bytes);

// `text` itself when it fits in `max_bytes`; otherwise a prefix followed by "…", the whole
// within `max_bytes`.
std::string Utf8Ellipsize(std::string_view text, std::size_t max_bytes);

// A title or a note as it is kept: without the characters that show nothing (zero-width
// spaces and joiners, the byte-order mark, soft hyphens, direction marks and overrides) and
// without white space at either end, so that two texts that look the same are the same text
// (a search for 李四 finds it; a duplicate check sees the duplicate). Line breaks inside stay.
std::string CleanTitle(std::string_view text);

// A name (a household's head, a team member, a group, a display name) as it is kept: as
// CleanTitle, and on one line (line breaks and tabs become spaces).
std::string CleanName(std::string_view text);

// Full-width forms (U+FF01..U+FF5E, what a Chinese IME types in its full-width mode: １２３,
// ＡＢＣ, －, ／) become their ASCII characters and U+3000 a space; everything else is kept.
std::string HalfWidth(std::string_view text);

// The reverse: ASCII's printable characters but the space (! to ~) become their full-width forms.
std::string FullWidth(std::string_view text);

// One line of user text made safe to render: invalid bytes become U+FFFD, line breaks and
// tabs become spaces, other control characters are dropped, and the ends are trimmed.
std::string CleanLine(std::string_view text);

}  // namespace rectify
