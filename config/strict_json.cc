#include "config/strict_json.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <set>

#include "engine/text.h"

namespace rectify {
namespace {

constexpr std::size_t kMaxDescribedBytes = 40;

std::string Quote(std::string_view text) { return Json(std::string(text)).dump(); }

bool IsPlainKey(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string Shorten(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

// Tracks where the parser is, to name the path of a repeated key.
class DuplicateKeyFinder {
 public:
  bool OnEvent(Json::parse_event_t event, const Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start: {
        std::string path = NextChildPath();
        stack_.push_back(Frame{event == Json::parse_event_t::array_start, 0, {}, {}, std::move(path)});
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        stack_.pop_back();
        break;
      case Json::parse_event_t::key: {
        Frame& top = stack_.back();
        top.key = parsed.get<std::string>();
        if (!top.keys.insert(top.key).second && error_.ok()) {
          error_ = Status::InvalidArgument(JsonPathKey(top.path, top.key), "duplicate key " + Quote(top.key));
        }
        break;
      }
      case Json::parse_event_t::value:
        NextChildPath();
        break;
    }
    return true;
  }

  const Status& error() const { return error_; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;  // objects: the key whose value comes next
    std::set<std::string> keys;
    std::string path;
  };

  std::string NextChildPath() {
    if (stack_.empty()) return "";
    Frame& top = stack_.back();
    if (top.is_array) return JsonPathIndex(top.path, top.index++);
    return JsonPathKey(top.path, top.key);
  }

  std::vector<Frame> stack_;
  Status error_;
};

// "syntax error at line 1, column 12 (byte 12): unexpected '，' ...". nlohmann's own message
// quotes the bytes it last read, which may end inside a character: the character at the error
// is quoted whole instead (or its byte in hex), and the message stays valid UTF-8.
std::string DescribeParseError(std::string_view text, const Json::parse_error& e) {
  std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 3, column 7: ..."
  const auto bracket = what.find("] ");
  if (bracket != std::string::npos) what.erase(0, bracket + 2);
  const auto last_read = what.find("; last read: ");
  if (last_read != std::string::npos) what.erase(last_read);
  what = RepairUtf8(what);
  what += " (byte " + std::to_string(e.byte) + ")";
  if (e.byte == 0 || e.byte > text.size()) return what;
  // The character that starts at or just before the byte where the parser stopped.
  std::size_t start = e.byte - 1;
  while (start > 0 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  std::string_view rest = text.substr(start, 4);
  for (std::size_t length = 1; length <= rest.size(); ++length) {
    const std::string_view candidate = rest.substr(0, length);
    if (IsValidUtf8(candidate) && static_cast<unsigned char>(candidate[0]) >= 0x20) {
      what += ": unexpected " + Quote(candidate);
      if (static_cast<unsigned char>(candidate[0]) >= 0x80)
        what += " (text must be inside quotes; full-width punctuation such as ，：“” is not JSON syntax)";
      return what;
    }
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text[start])));
  return what + ": unexpected byte " + hex;
}

}  // namespace

Result<Json> ParseJsonStrictly(std::string_view text) {
  DuplicateKeyFinder finder;
  Json document;
  try {
    document = Json::parse(
        text.begin(), text.end(),
        [&finder](int /*depth*/, Json::parse_event_t event, Json& parsed) { return finder.OnEvent(event, parsed); });
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument("", "invalid JSON: " + DescribeParseError(text, e));
  } catch (const Json::exception& e) {
    return Status::InvalidArgument("", std::string("invalid JSON: ") + e.what());
  }
  if (!finder.error().ok()) return finder.error();
  return document;
}

std::string JsonPathKey(const std::string& path, std::string_view key) {
  if (!IsPlainKey(key)) return path + "[" + Quote(key) + "]";
  if (path.empty()) return std::string(key);
  return path + "." + std::string(key);
}

std::string JsonPathIndex(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

std::string DescribeJson(const Json& value) {
  if (value.is_null()) return "null";
  return std::string(value.type_name()) + " " + Shorten(value.dump(), kMaxDescribedBytes);
}

Status ReadJsonString(const Json& value, const std::string& path, std::string& out) {
  if (!value.is_string()) return Status::InvalidArgument(path, "expected a string, found " + DescribeJson(value));
  out = value.get<std::string>();
  return CheckText(path, out);
}

Status ReadJsonInt(const Json& value, const std::string& path, int& out) {
  if (!value.is_number_integer()) {
    return Status::InvalidArgument(path, "expected an integer, found " + DescribeJson(value));
  }
  bool fits = false;
  if (value.is_number_unsigned()) {
    fits = value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT_MAX);
  } else {
    const std::int64_t number = value.get<std::int64_t>();
    fits = number >= INT_MIN && number <= INT_MAX;
  }
  if (!fits) return Status::InvalidArgument(path, "integer " + value.dump() + " is out of range");
  out = value.get<int>();
  return Status::Ok();
}

Status ReadJsonBool(const Json& value, const std::string& path, bool& out) {
  if (!value.is_boolean()) {
    return Status::InvalidArgument(path, "expected true or false, found " + DescribeJson(value));
  }
  out = value.get<bool>();
  return Status::Ok();
}

Status ReadJsonStrings(const Json& value, const std::string& path, std::vector<std::string>& out) {
  return JsonArrayOf<std::string>(ReadJsonString)(value, path, out);
}

Status ReadJsonDate(const Json& value, const std::string& path, CivilDate& out) {
  std::string text;
  RECTIFY_RETURN_IF_ERROR(ReadJsonString(value, path, text));
  const std::optional<CivilDate> date = ParseDate(text);
  if (!date) return Status::InvalidArgument(path, Quote(text) + " is not a date: expected \"YYYY-MM-DD\"");
  out = *date;
  return Status::Ok();
}

JsonObjectReader::JsonObjectReader(const Json& value, std::string path) : value_(value), path_(std::move(path)) {}

bool JsonObjectReader::Has(std::string_view key) const {
  return value_.is_object() && value_.find(std::string(key)) != value_.end();
}

const Json* JsonObjectReader::Take(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  if (!value_.is_object()) return nullptr;
  const auto it = value_.find(std::string(key));
  return it == value_.end() ? nullptr : &*it;
}

void JsonObjectReader::Fail(std::string_view key, std::string message) {
  Take(key);
  Record(Status::InvalidArgument(PathOf(key), std::move(message)));
}

void JsonObjectReader::Record(Status status) {
  if (error_.ok() && !status.ok()) error_ = std::move(status);
}

Status JsonObjectReader::Finish() {
  if (!value_.is_object()) return Status::InvalidArgument(path_, "expected an object, found " + DescribeJson(value_));
  for (auto it = value_.begin(); it != value_.end(); ++it) {
    const std::string& key = it.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string expected;
    for (const std::string& name : known_) expected += (expected.empty() ? "" : ", ") + name;
    return Status::InvalidArgument(PathOf(key), "unknown key " + Quote(key) + "; expected one of: " + expected);
  }
  return error_;
}

}  // namespace rectify
