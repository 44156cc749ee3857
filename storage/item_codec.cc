#include "storage/item_codec.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <system_error>
#include <utility>

namespace rectify::sql {

std::string FormatTierEntries(const std::map<std::string, int>& entries) {
  std::string out;
  for (const auto& [tier, count] : entries) out += (out.empty() ? "" : ",") + tier + "=" + std::to_string(count);
  return out;
}

namespace {

// A unit id in the history facts' text: bytes other than [A-Za-z0-9_.-] as %XX, so that the
// separators (space, colon, newline) never occur inside one.
void AppendUnit(std::string& out, const std::string& unit) {
  static const char kHex[] = "0123456789ABCDEF";
  for (const char c : unit) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '_' || c == '.' || c == '-') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
}

std::optional<std::string> ReadUnit(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    unsigned value = 0;
    if (i + 2 >= text.size() || std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr != text.data() + i + 3)
      return std::nullopt;
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

void AppendInstant(std::string& out, const std::optional<Instant>& at) { out += at ? std::to_string(*at) : "-"; }

std::optional<Instant> ReadInt(std::string_view text) {
  Instant value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "-" is none; nullopt in the outer optional: not a number.
std::optional<std::optional<Instant>> ReadOptionalInstant(std::string_view text) {
  if (text == "-") return std::optional<Instant>();
  std::optional<Instant> at = ReadInt(text);
  if (!at) return std::nullopt;
  return at;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  if (text.empty()) return out;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(separator, start);
    out.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

}  // namespace

// Six lines, each a letter and its space-separated entries (read on every item of every list
// and of every figure, so no JSON):
//   o <at>:<1 opened|0 closed> ...          h <at>:<unit> ...       s <unit>:<count> ...
//   r <unit>:<asked_at>:<due>:<signed_at|->:<released_at|-> ...     c <last_closed_at|->
//   p <1|0>
std::string FormatHistoryFacts(const HistoryFacts& facts) {
  std::string out = "o";
  for (const auto& [at, open] : facts.open_changes) out += " " + std::to_string(at) + (open ? ":1" : ":0");
  out += "\nh";
  for (const auto& [at, unit] : facts.holders) {
    out += " " + std::to_string(at) + ":";
    AppendUnit(out, unit);
  }
  out += "\ns";
  for (const auto& [unit, count] : facts.send_backs) {
    out += " ";
    AppendUnit(out, unit);
    out += ":" + std::to_string(count);
  }
  out += "\nr";
  for (const SignForRequestRecord& r : facts.sign_for_requests) {
    out += " ";
    AppendUnit(out, r.unit);
    out += ":" + std::to_string(r.asked_at) + ":" + std::to_string(r.due) + ":";
    AppendInstant(out, r.signed_at);
    out += ":";
    AppendInstant(out, r.released_at);
  }
  out += "\nc ";
  AppendInstant(out, facts.last_closed_at);
  out += facts.progress_noted ? "\np 1" : "\np 0";
  return out;
}

namespace {

// Read on every item of every page (a notifier's pass reads hundreds of thousands): the text is
// taken apart in place, where splitting it into vectors of pieces cost more than the rest of the
// item's row together.

// The next piece of `rest` up to `separator` (the rest when there is none); `rest` moves past
// it, and is nullopt once the last piece is taken.
std::string_view TakePiece(std::optional<std::string_view>& rest, char separator) {
  const std::string_view text = *rest;
  const std::size_t end = text.find(separator);
  if (end == std::string_view::npos) {
    rest.reset();
    return text;
  }
  rest = text.substr(end + 1);
  return text.substr(0, end);
}

// `text` cut at `separator` into exactly N pieces; false for more or fewer.
template <std::size_t N>
bool SplitExactly(std::string_view text, char separator, std::array<std::string_view, N>& pieces) {
  if (text.empty()) return false;
  std::optional<std::string_view> rest = text;
  for (std::string_view& piece : pieces) {
    if (!rest) return false;
    piece = TakePiece(rest, separator);
  }
  return !rest;
}

// Calls `entry` with each space-separated entry after the line's tag letter; false when the line
// does not start with the tag as a word of its own, or `entry` refuses one.
template <class Entry>
bool ForEachEntry(std::string_view line, char tag, Entry entry) {
  if (line.empty() || line[0] != tag) return false;
  if (line.size() == 1) return true;
  if (line[1] != ' ') return false;
  std::optional<std::string_view> rest = line.substr(2);
  while (rest)
    if (!entry(TakePiece(rest, ' '))) return false;
  return true;
}

}  // namespace

std::optional<HistoryFacts> ParseHistoryFacts(const std::string& text) {
  std::array<std::string_view, 6> lines;
  if (!SplitExactly(text, '\n', lines)) return std::nullopt;
  HistoryFacts facts;
  const bool opens = ForEachEntry(lines[0], 'o', [&](std::string_view entry) {
    std::array<std::string_view, 2> parts;
    const std::optional<Instant> at = SplitExactly(entry, ':', parts) ? ReadInt(parts[0]) : std::nullopt;
    if (!at || (parts[1] != "1" && parts[1] != "0")) return false;
    facts.open_changes.emplace_back(*at, parts[1] == "1");
    return true;
  });
  const bool holders = opens && ForEachEntry(lines[1], 'h', [&](std::string_view entry) {
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos) return false;
    const std::optional<Instant> at = ReadInt(entry.substr(0, colon));
    std::optional<std::string> unit = ReadUnit(entry.substr(colon + 1));
    if (!at || !unit) return false;
    facts.holders.emplace_back(*at, std::move(*unit));
    return true;
  });
  const bool send_backs = holders && ForEachEntry(lines[2], 's', [&](std::string_view entry) {
    std::array<std::string_view, 2> parts;
    if (!SplitExactly(entry, ':', parts)) return false;
    std::optional<std::string> unit = ReadUnit(parts[0]);
    const std::optional<Instant> count = ReadInt(parts[1]);
    if (!unit || !count) return false;
    facts.send_backs[std::move(*unit)] = static_cast<int>(*count);
    return true;
  });
  const bool requests = send_backs && ForEachEntry(lines[3], 'r', [&](std::string_view entry) {
    std::array<std::string_view, 5> parts;
    if (!SplitExactly(entry, ':', parts)) return false;
    std::optional<std::string> unit = ReadUnit(parts[0]);
    const std::optional<Instant> asked = ReadInt(parts[1]);
    const std::optional<Instant> due = ReadInt(parts[2]);
    const auto signed_at = ReadOptionalInstant(parts[3]);
    const auto released_at = ReadOptionalInstant(parts[4]);
    if (!unit || !asked || !due || !signed_at || !released_at) return false;
    facts.sign_for_requests.push_back({std::move(*unit), *asked, *due, *signed_at, *released_at});
    return true;
  });
  if (!requests) return std::nullopt;
  // One entry each: the last closing, and whether progress was noted.
  std::optional<std::string_view> closed_at, noted;
  const auto only = [](std::optional<std::string_view>& into) {
    return [&into](std::string_view entry) {
      if (into) return false;
      into = entry;
      return true;
    };
  };
  if (!ForEachEntry(lines[4], 'c', only(closed_at)) || !ForEachEntry(lines[5], 'p', only(noted)) || !closed_at ||
      !noted)
    return std::nullopt;
  const auto closed = ReadOptionalInstant(*closed_at);
  if (!closed || (*noted != "1" && *noted != "0")) return std::nullopt;
  facts.last_closed_at = *closed;
  facts.progress_noted = *noted == "1";
  return facts;
}

namespace {

constexpr std::string_view kFigureFormat = "F1";

void AppendWord(std::string& out, const std::string& word) {
  out += " ";
  AppendUnit(out, word);
}

void AppendDate(std::string& out, const std::optional<CivilDate>& date) { out += " " + (date ? FormatDate(*date) : "-"); }

std::optional<std::optional<CivilDate>> ReadOptionalDate(std::string_view text) {
  if (text == "-") return std::optional<CivilDate>();
  std::optional<CivilDate> date = ParseDate(text);
  if (!date) return std::nullopt;
  return date;
}

}  // namespace

// Two lines before the history facts' six (FormatHistoryFacts), every word but the dates and
// numbers %-escaped as a unit id:
//   F1 <kind> <state> <step> <unit> <source> <area> <deadline|-> <due_at|-> <state_since> <tier> <tier_entries> <measures>
//   H <household 1|0> <village> <risk_found_on|-> <outcome 1|0> <result> <entered_on|-> <cooperating unit> ...
std::string FormatFigureItem(const FigureItem& figure) {
  const Item& item = figure.item;
  std::string out(kFigureFormat);
  AppendWord(out, ItemKindName(item.kind));
  AppendWord(out, item.state.state);
  AppendWord(out, item.state.step);
  AppendWord(out, item.unit);
  AppendWord(out, item.source);
  out += " " + std::to_string(item.area) + " ";
  AppendInstant(out, item.deadline);
  out += " ";
  AppendInstant(out, item.due_at);
  out += " " + std::to_string(item.state_since);
  AppendWord(out, item.tier);
  AppendWord(out, FormatTierEntries(item.tier_entries));
  AppendWord(out, item.measures);
  out += item.household ? "\nH 1" : "\nH 0";
  AppendWord(out, item.household ? item.household->village : "");
  AppendDate(out, item.household ? std::optional<CivilDate>(item.household->risk_found_on) : std::nullopt);
  out += item.outcome ? " 1" : " 0";
  AppendWord(out, item.outcome ? item.outcome->result : "");
  AppendDate(out, item.outcome ? item.outcome->entered_on : std::nullopt);
  for (const std::string& unit : item.cooperating_units) AppendWord(out, unit);
  return out + "\n" + FormatHistoryFacts(figure.facts);
}

std::optional<FigureItem> ParseFigureItem(const std::string& text) {
  const std::size_t first = text.find('\n');
  const std::size_t second = first == std::string::npos ? first : text.find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  const std::vector<std::string_view> head = Split(std::string_view(text).substr(0, first), ' ');
  const std::vector<std::string_view> more = Split(std::string_view(text).substr(first + 1, second - first - 1), ' ');
  if (head.size() != 13 || head[0] != kFigureFormat || more.size() < 7 || more[0] != "H") return std::nullopt;
  std::vector<std::optional<std::string>> words;
  for (const std::size_t i : {1, 2, 3, 4, 5, 10, 11, 12}) words.push_back(ReadUnit(head[i]));
  for (const std::size_t i : {2, 5}) words.push_back(ReadUnit(more[i]));
  if (std::any_of(words.begin(), words.end(), [](const auto& word) { return !word; })) return std::nullopt;
  FigureItem figure;
  Item& item = figure.item;
  const std::optional<ItemKind> kind = ParseItemKind(*words[0]);
  const std::optional<Instant> area = ReadInt(head[6]);
  const auto deadline = ReadOptionalInstant(head[7]);
  const auto due_at = ReadOptionalInstant(head[8]);
  const std::optional<Instant> state_since = ReadInt(head[9]);
  const auto risk_found_on = ReadOptionalDate(more[3]);
  const auto entered_on = ReadOptionalDate(more[6]);
  if (!kind || !area || !deadline || !due_at || !state_since || !risk_found_on || !entered_on) return std::nullopt;
  if ((more[1] != "1" && more[1] != "0") || (more[4] != "1" && more[4] != "0")) return std::nullopt;
  if (more[1] == "1" && !*risk_found_on) return std::nullopt;
  item.kind = *kind;
  item.state = StatePath{*words[1], *words[2]};
  item.unit = *words[3];
  item.source = *words[4];
  item.area = static_cast<int>(*area);
  item.deadline = *deadline;
  item.due_at = *due_at;
  item.state_since = *state_since;
  item.tier = *words[5];
  item.tier_entries = ParseTierEntries(*words[6]);
  item.measures = *words[7];
  if (more[1] == "1") {
    Household household;
    household.village = *words[8];
    household.risk_found_on = **risk_found_on;
    item.household = std::move(household);
  }
  if (more[4] == "1") item.outcome = EnrollmentOutcome{*words[9], *entered_on, {}};
  for (std::size_t i = 7; i < more.size(); ++i) {
    std::optional<std::string> unit = ReadUnit(more[i]);
    if (!unit) return std::nullopt;
    item.cooperating_units.push_back(std::move(*unit));
  }
  std::optional<HistoryFacts> facts = ParseHistoryFacts(text.substr(second + 1));
  if (!facts) return std::nullopt;
  figure.facts = std::move(*facts);
  return figure;
}

std::map<std::string, int> ParseTierEntries(const std::string& text) {
  std::map<std::string, int> out;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string pair = text.substr(start, comma - start);
    const std::size_t equals = pair.find('=');
    if (equals != std::string::npos && equals > 0) {
      int count = 0;
      const char* first = pair.data() + equals + 1;
      const char* last = pair.data() + pair.size();
      if (std::from_chars(first, last, count).ptr == last && count > 0) out[pair.substr(0, equals)] = count;
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace rectify::sql
