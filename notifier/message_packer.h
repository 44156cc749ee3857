// Lays a long list out as a few messages that each fit a receiver's size limit. Group robots
// take 20 messages a minute (DingTalk locks a robot for 10 minutes past that) and a wall of
// parts buries the chat, so a list is split into at most `max_parts` parts marked "（1/3）",
// and what still does not fit is left out, counted in a closing "…等N项". Entries are in
// order of urgency, so the ones left out are the least urgent.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace rectify::notifier {

struct MessageLayout {
  struct Section {
    std::string heading;               // repeated in every part where the section continues
    std::vector<std::string> entries;  // each entry may span lines; never split across parts
  };
  std::string headline;           // the first line; a split appends the part marker "（1/3）"
  std::string preamble;           // the lines after the headline, in every part; may be empty
  std::vector<Section> sections;  // empty sections are skipped
  std::string first_part_footer;  // closes the first part only (the @-mentions); may be empty
};

struct PackLimits {
  std::size_t max_bytes = 0;  // the largest measure of one message; 0: one message, any size
  int max_parts = 1;          // at least 1
  // The size the receiver counts for a message text (for example the JSON body it ends up
  // in); empty: the text's own UTF-8 byte count.
  std::function<std::size_t(const std::string&)> measure;
};

// The messages, in order, each within `limits`. An entry too long for a message on its own
// is cut short with "…" (on a character boundary), so no message ever exceeds the limit.
std::vector<std::string> PackMessages(const MessageLayout& layout, const PackLimits& limits);

}  // namespace rectify::notifier
