#include "web/request_log.h"

#include <sodium.h>

#include <atomic>
#include <cstdio>

namespace rectify::web {
namespace {

thread_local RequestNotes current;

// Random per process, so that ids of several instances behind one proxy do not collide.
const std::string& ProcessPrefix() {
  static const std::string prefix = [] {
    if (sodium_init() < 0) return std::string("00000000");  // ids stay unique within the process
    const std::uint32_t random = randombytes_random();
    char text[9];
    std::snprintf(text, sizeof text, "%08x", random);
    return std::string(text);
  }();
  return prefix;
}

std::atomic<std::uint64_t> next_request{1};

}  // namespace

RequestNotes& CurrentRequest() { return current; }

void BeginRequest() {
  char counter[20];
  std::snprintf(counter, sizeof counter, "%llx", static_cast<unsigned long long>(next_request++));
  current = RequestNotes{};
  current.id = ProcessPrefix() + "-" + counter;
  current.started = std::chrono::steady_clock::now();
}

bool IsSaneRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool sane = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == ':';
    if (!sane) return false;
  }
  return true;
}

}  // namespace rectify::web
