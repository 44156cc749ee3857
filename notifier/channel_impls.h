// The six channels behind MakeChannel, and what they share. Internal to notifier/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "notifier/channel.h"

namespace rectify::notifier {

// A validated config with what every channel derives from it once.
struct ChannelContext {
  ChannelConfig config;
  std::string target;                // Target(): type, host and a hash of the URL
  std::string host;                  // the URL's host[:port], as the Host header names it
  std::string id;                    // Id(): the configured id, or the type and the target's hash
  std::vector<std::string> secrets;  // never to appear in a message: secret, password, URL keys
};

std::unique_ptr<Channel> NewWebhookChannel(ChannelContext context);
std::unique_ptr<Channel> NewWeComChannel(ChannelContext context);
std::unique_ptr<Channel> NewDingTalkChannel(ChannelContext context);
std::unique_ptr<Channel> NewFeishuChannel(ChannelContext context);
std::unique_ptr<Channel> NewSmtpChannel(ChannelContext context);
std::unique_ptr<Channel> NewSmsChannel(ChannelContext context);

// How many parts a robot message may be split into before the rest is truncated.
inline constexpr int kMaxRobotParts = 3;

// "@13800000000 @13900000000": closes the first part so the people named are @-mentioned.
std::string MentionLine(const std::vector<std::string>& mobiles);
// The mobiles whose "@mobile" appears in `message` (only the first part carries them).
std::vector<std::string> MentionedIn(const std::string& message, const std::vector<std::string>& mobiles);

}  // namespace rectify::notifier
