// What the fuzz harnesses share. Each harness is one file defining libFuzzer's entry point,
// LLVMFuzzerTestOneInput; the fuzz build (RECTIFY_FUZZ, clang) links it with libFuzzer, the
// normal build (gcc) with replay_main.cc, which feeds it the stored corpus and regressions.
//
// A harness returns 0 for every input. A broken contract is a crash: an escaped exception, a
// sanitizer report, or Require() failing, which prints what broke and aborts so that libFuzzer
// keeps the input and the replay fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/campaign.h"
#include "engine/item_service.h"
#include "engine/status.h"
#include "engine/time.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace rectify::fuzz {

// Aborts, naming `contract`, unless `holds`.
void Require(bool holds, const char* contract);

// The input as text.
inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// `text` cut at every `separator` byte: n separators give n + 1 pieces. Harnesses that need
// several strings (a query's name and value, a layout's sections) read them this way, so a seed
// is easy to write by hand and the fuzzer moves pieces by inserting or deleting one byte.
std::vector<std::string_view> Split(std::string_view text, char separator);

// The Gaoqiao campaign of workflows/, with its calendar, loaded on first use.
const Campaign& TheCampaign();
// A service over that campaign and a store in a temporary directory (removed at exit), for the
// decoders that check rows against the campaign. The decoders only validate: nothing is stored.
const ItemService& TheService();
// A fixed instant inside the campaign: 2021-10-22 09:00 in Shanghai.
Instant TheNow();

// What the server answers for `status` (web/http_reply.h's ReplyError): checks that an error is
// one a decoder may return for bad input (400 invalid_argument) and that its answer is written.
void RequireRefusal(const Status& status);

}  // namespace rectify::fuzz
