// The notifier's message packer (notifier/message_packer.h). Input:
//   bytes 0-1  the size limit: 0 for none, else 16 + (value % 8176) (little-endian)
//   byte 2     bits 0-3: max_parts - 1 (mod 5); bit 4: measure the text as it sits in a JSON
//              body, as Feishu counts it, instead of its own bytes
//   the rest   pieces separated by 0x1E: headline, preamble, first-part footer, then one piece
//              per section: its heading and entries separated by 0x1F.
// Whatever the layout, the messages must keep the limits, and valid UTF-8 must stay valid.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "notifier/message_packer.h"
#include "engine/text.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rectify;
using notifier::MessageLayout;

namespace {

constexpr std::size_t kHeaderBytes = 3;

std::size_t AsJsonBody(const std::string& text) {
  return nlohmann::json{{"text", text}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
}

bool AllValidUtf8(const MessageLayout& layout) {
  bool valid = IsValidUtf8(layout.headline) && IsValidUtf8(layout.preamble) &&
               IsValidUtf8(layout.first_part_footer);
  for (const MessageLayout::Section& section : layout.sections) {
    valid = valid && IsValidUtf8(section.heading);
    for (const std::string& entry : section.entries) valid = valid && IsValidUtf8(entry);
  }
  return valid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < kHeaderBytes) return 0;
  notifier::PackLimits limits;
  const std::size_t raw_limit = data[0] | (static_cast<std::size_t>(data[1]) << 8);
  limits.max_bytes = raw_limit == 0 ? 0 : 16 + raw_limit % 8176;
  limits.max_parts = 1 + (data[2] & 0x0F) % 5;
  if ((data[2] & 0x10) != 0) limits.measure = AsJsonBody;

  const std::vector<std::string_view> pieces = fuzz::Split(fuzz::AsText(data + kHeaderBytes, size - kHeaderBytes), '\x1E');
  MessageLayout layout;
  layout.headline = std::string(pieces[0]);
  if (pieces.size() > 1) layout.preamble = std::string(pieces[1]);
  if (pieces.size() > 2) layout.first_part_footer = std::string(pieces[2]);
  for (std::size_t i = 3; i < pieces.size(); ++i) {
    const std::vector<std::string_view> parts = fuzz::Split(pieces[i], '\x1F');
    MessageLayout::Section section{std::string(parts[0]), {}};
    for (std::size_t j = 1; j < parts.size(); ++j) section.entries.emplace_back(parts[j]);
    layout.sections.push_back(std::move(section));
  }

  const std::vector<std::string> messages = notifier::PackMessages(layout, limits);
  fuzz::Require(!messages.empty(), "there is at least one message");
  fuzz::Require(static_cast<int>(messages.size()) <= limits.max_parts, "no more parts than allowed");
  if (limits.max_bytes == 0) fuzz::Require(messages.size() == 1, "without a limit, one message");
  const bool valid_input = AllValidUtf8(layout);
  for (const std::string& message : messages) {
    const std::size_t measured = limits.measure ? limits.measure(message) : message.size();
    if (limits.max_bytes > 0) fuzz::Require(measured <= limits.max_bytes, "no message exceeds the limit");
    if (valid_input) fuzz::Require(IsValidUtf8(message), "a cut never splits a character");
  }
  return 0;
}
