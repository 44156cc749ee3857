// Rendering, wrapping and delivering a digest the way the sender will: every part in order,
// stopping at the first failure.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "notifier/channel.h"

namespace rectify::testing {

struct DeliveryOutcome {
  Status status;
  std::size_t parts = 0;  // how many messages the digest was rendered into
};

inline std::unique_ptr<notifier::Channel> MakeOrFail(const notifier::ChannelConfig& config) {
  auto channel = notifier::MakeChannel(config);
  REQUIRE(channel.ok());
  return std::move(channel.value());
}

inline DeliveryOutcome DeliverDigest(const notifier::Channel& channel, const notifier::Digest& digest, Instant now,
                                     const std::string& key = "outbox-17") {
  const std::vector<std::string> messages = channel.Render(digest);
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const notifier::Payload payload = channel.Wrap(messages[i], key + "/" + std::to_string(i + 1), now);
    Status status = channel.Deliver(payload);
    if (!status.ok()) return {std::move(status), messages.size()};
  }
  return {Status::Ok(), messages.size()};
}

}  // namespace rectify::testing
