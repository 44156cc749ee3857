// Strict reading of configuration JSON: a file is read field by field against a schema, and
// every surprise is an error naming the field path ("areas[3].responsible[1]"): a syntax error,
// a key given twice in one object, an unknown key (a typo), a missing required field, a value of
// the wrong type. Keys keep their file order (ordered_json), so errors come in file order.
//
// Errors are Status::InvalidArgument whose field is the path inside the document ("" for the
// document itself); the caller adds the file name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "engine/time.h"

namespace rectify {

using Json = nlohmann::ordered_json;

// Parses a whole document. A syntax error's message gives the line and column; a key repeated
// within one object (which JSON parsers silently collapse) is an error at that key's path.
Result<Json> ParseJsonStrictly(std::string_view text);

// "units" + "id" -> "units.id"; "" + "id" -> "id"; a key that is not a plain identifier is
// quoted: "states" + "rectifying.working" -> states["rectifying.working"].
std::string JsonPathKey(const std::string& path, std::string_view key);
// "units" + 3 -> "units[3]".
std::string JsonPathIndex(const std::string& path, std::size_t index);

// What a value is, for messages: `number 3`, `string "abc"`, `array [...]` (long values shortened).
std::string DescribeJson(const Json& value);

// Readers of one value at `path`; on a type mismatch they name what was expected and found.
Status ReadJsonString(const Json& value, const std::string& path, std::string& out);
Status ReadJsonInt(const Json& value, const std::string& path, int& out);
Status ReadJsonBool(const Json& value, const std::string& path, bool& out);
Status ReadJsonStrings(const Json& value, const std::string& path, std::vector<std::string>& out);
// "YYYY-MM-DD", a real date.
Status ReadJsonDate(const Json& value, const std::string& path, CivilDate& out);

// An array read element by element with `read(element, "path[i]", T&)`.
template <class T, class ReadElement>
auto JsonArrayOf(ReadElement read) {
  return [read](const Json& value, const std::string& path, std::vector<T>& out) -> Status {
    if (!value.is_array()) return Status::InvalidArgument(path, "expected an array, found " + DescribeJson(value));
    out.clear();
    out.resize(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      RECTIFY_RETURN_IF_ERROR(read(value[i], JsonPathIndex(path, i), out[i]));
    }
    return Status::Ok();
  };
}

// Reads the fields of one object. Each call takes one key; the first error is kept and the
// calls after it still mark their keys as known. Finish() reports, in this order: the value
// not being an object, a key no call took (listing the known keys), the first error recorded.
//
//   JsonObjectReader r(value, "units[3]");
//   r.Required("id", unit.id);
//   r.Optional("sample", unit.sample);
//   return r.Finish();
class JsonObjectReader {
 public:
  JsonObjectReader(const Json& value, std::string path);

  const std::string& path() const { return path_; }
  bool ok() const { return error_.ok(); }
  bool Has(std::string_view key) const;
  // The path of a field of this object.
  std::string PathOf(std::string_view key) const { return JsonPathKey(path_, key); }

  void Required(std::string_view key, std::string& out) { Required(key, out, ReadJsonString); }
  void Required(std::string_view key, int& out) { Required(key, out, ReadJsonInt); }
  void Required(std::string_view key, std::vector<std::string>& out) { Required(key, out, ReadJsonStrings); }
  void Optional(std::string_view key, bool& out) { Optional(key, out, ReadJsonBool); }
  void Optional(std::string_view key, std::vector<std::string>& out) { Optional(key, out, ReadJsonStrings); }
  void Optional(std::string_view key, std::optional<int>& out) { Optional(key, out, ReadJsonInt); }

  // `read(value, path, out)` returns a Status.
  template <class T, class Read>
  void Required(std::string_view key, T& out, Read read) {
    const Json* value = Take(key);
    if (value == nullptr) {
      Record(Status::InvalidArgument(PathOf(key), "missing required field"));
    } else {
      Record(read(*value, PathOf(key), out));
    }
  }
  // An absent key, or one given as null, leaves `out` as it was: a client that sends back what it
  // read ("unit": null for an unassigned item) is not refused for it.
  template <class T, class Read>
  void Optional(std::string_view key, T& out, Read read) {
    if (const Json* value = Take(key); value != nullptr && !value->is_null()) Record(read(*value, PathOf(key), out));
  }
  template <class T, class Read>
  void Optional(std::string_view key, std::optional<T>& out, Read read) {
    if (const Json* value = Take(key); value != nullptr && !value->is_null()) {
      T parsed{};
      const Status status = read(*value, PathOf(key), parsed);
      if (status.ok()) out = std::move(parsed);
      Record(status);
    }
  }

  // Marks `key` as known without reading it (it belongs to a branch that was not taken).
  void Skip(std::string_view key) { Take(key); }
  // Records an error about `key` (present or not), which also counts as known.
  void Fail(std::string_view key, std::string message);
  // Records `status` if no error is recorded yet.
  void Record(Status status);

  Status Finish();

 private:
  const Json* Take(std::string_view key);

  const Json& value_;
  std::string path_;
  std::vector<std::string> known_;
  Status error_;
};

}  // namespace rectify
