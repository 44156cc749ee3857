// The channel file loader (config/channels_loader.h): the text of a deployment's channel file,
// read against the Gaoqiao campaign's units, each channel built as the notifier builds it, then
// made to render a sample digest and wrap each message (signing it, or writing it as e-mail), as
// it would before delivery.
#include <string>

#include "config/channels_loader.h"
#include "tests/notifier/sample_digests.h"
#include "tests/fuzz/fuzz_support.h"

using namespace rectify;

namespace {

// A header ends only where the message ends it: a configured value never adds a line.
void RequireClosedHeaders(const std::string& mime) {
  const std::string headers = mime.substr(0, mime.find("\r\n\r\n"));
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (headers[i] == '\n') fuzz::Require(i > 0 && headers[i - 1] == '\r', "a mail header line ends with CRLF");
    if (headers[i] == '\r') fuzz::Require(i + 1 < headers.size() && headers[i + 1] == '\n', "no bare CR in headers");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto channels = ParseChannelFile(fuzz::AsText(data, size), "channels.json", fuzz::TheCampaign());
  fuzz::RequireRefusal(channels.status());
  if (!channels.ok()) return 0;
  for (const auto& [unit, list] : *channels) {
    fuzz::Require(fuzz::TheCampaign().FindUnit(unit) != nullptr, "channels are only for the campaign's units");
    for (const auto& channel : list) {
      for (const std::string& message : channel->Render(testing::SchoolDigest())) {
        const notifier::Payload payload = channel->Wrap(message, "fuzz-key", fuzz::TheNow());
        fuzz::Require(!payload.body.empty(), "a wrapped message has a body");
        if (payload.content_type == "message/rfc822") RequireClosedHeaders(payload.body);
      }
    }
  }
  return 0;
}
