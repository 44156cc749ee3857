#include "notifier/message_packer.h"

#include <algorithm>

#include "engine/text.h"

namespace rectify::notifier {
namespace {

struct EntryRef {
  std::size_t section = 0;
  std::string text;
};

class Packer {
 public:
  Packer(const MessageLayout& layout, const PackLimits& limits) : layout_(layout), limits_(limits) {
    for (std::size_t s = 0; s < layout.sections.size(); ++s)
      for (const std::string& entry : layout.sections[s].entries) entries_.push_back({s, entry});
    const int max_parts = std::max(1, limits.max_parts);
    worst_marker_ = max_parts > 1 ? Marker(max_parts, max_parts) : "";
  }

  std::vector<std::string> Pack() {
    if (limits_.max_bytes == 0) return {Assemble(entries_, "", true, 0)};
    const int max_parts = std::max(1, limits_.max_parts);
    if (Fits(entries_, "", true, 0)) return {Assemble(entries_, "", true, 0)};
    for (EntryRef& entry : entries_) ShortenToFit(entry);

    std::vector<std::vector<EntryRef>> parts(1);
    std::size_t next = 0;
    for (; next < entries_.size(); ++next) {
      std::vector<EntryRef> candidate = parts.back();
      candidate.push_back(entries_[next]);
      if (Fits(candidate, worst_marker_, parts.size() == 1, 0)) {
        parts.back() = std::move(candidate);
        continue;
      }
      if (static_cast<int>(parts.size()) == max_parts) break;
      parts.push_back({entries_[next]});
    }

    std::size_t omitted = 0;
    if (next < entries_.size()) {
      // Too many parts: refill the last one leaving room for "…等N项" (N at its widest).
      std::vector<EntryRef>& last = parts.back();
      const bool last_is_first = parts.size() == 1;
      std::size_t placed = next - last.size();
      last.clear();
      while (placed < entries_.size()) {
        std::vector<EntryRef> candidate = last;
        candidate.push_back(entries_[placed]);
        if (!Fits(candidate, worst_marker_, last_is_first, entries_.size())) break;
        last = std::move(candidate);
        ++placed;
      }
      omitted = entries_.size() - placed;
    }

    std::vector<std::string> messages;
    const int count = static_cast<int>(parts.size());
    for (int i = 0; i < count; ++i) {
      const std::string marker = count > 1 ? Marker(i + 1, count) : "";
      std::string message = Assemble(parts[static_cast<std::size_t>(i)], marker, i == 0, i + 1 == count ? omitted : 0);
      messages.push_back(ShortenMessage(std::move(message)));
    }
    return messages;
  }

 private:
  static std::string Marker(int part, int count) {
    return "（" + std::to_string(part) + "/" + std::to_string(count) + "）";
  }

  std::size_t Measure(const std::string& text) const { return limits_.measure ? limits_.measure(text) : text.size(); }

  std::string Assemble(const std::vector<EntryRef>& entries, const std::string& marker, bool first,
                       std::size_t omitted) const {
    std::string out = layout_.headline + marker;
    if (!layout_.preamble.empty()) out += "\n" + layout_.preamble;
    std::size_t section = layout_.sections.size();
    for (const EntryRef& entry : entries) {
      if (entry.section != section) {
        section = entry.section;
        out += "\n\n" + layout_.sections[section].heading;
      }
      out += "\n" + entry.text;
    }
    if (first && !layout_.first_part_footer.empty()) out += "\n\n" + layout_.first_part_footer;
    if (omitted > 0) out += "\n\n…等" + std::to_string(omitted) + "项";
    return out;
  }

  bool Fits(const std::vector<EntryRef>& entries, const std::string& marker, bool first, std::size_t omitted) const {
    return Measure(Assemble(entries, marker, first, omitted)) <= limits_.max_bytes;
  }

  // The longest "…"-ended prefix of `text` for which `fits` holds (binary search on bytes).
  template <class Fits>
  static std::string LongestFitting(const std::string& text, Fits fits) {
    std::size_t low = 0, high = text.size();
    while (low < high) {
      const std::size_t mid = low + (high - low + 1) / 2;
      if (fits(Utf8Ellipsize(text, mid)))
        low = mid;
      else
        high = mid - 1;
    }
    return Utf8Ellipsize(text, low);
  }

  // Makes `entry` fit alone in a part that has every extra a part can have.
  void ShortenToFit(EntryRef& entry) const {
    const auto fits = [&](const std::string& text) {
      return Fits({{entry.section, text}}, worst_marker_, true, entries_.size());
    };
    if (!fits(entry.text)) entry.text = LongestFitting(entry.text, fits);
  }

  // The last resort when the headline and footer alone are over the limit.
  std::string ShortenMessage(std::string message) const {
    if (Measure(message) <= limits_.max_bytes) return message;
    return LongestFitting(message, [&](const std::string& text) { return Measure(text) <= limits_.max_bytes; });
  }

  const MessageLayout& layout_;
  const PackLimits& limits_;
  std::vector<EntryRef> entries_;
  std::string worst_marker_;
};

}  // namespace

std::vector<std::string> PackMessages(const MessageLayout& layout, const PackLimits& limits) {
  return Packer(layout, limits).Pack();
}

}  // namespace rectify::notifier
