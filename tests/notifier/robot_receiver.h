// Real receivers on 127.0.0.1 for the channel tests: one httplib server playing a WeCom group
// robot, a signed DingTalk robot, a signed Feishu bot and a plain JSON webhook. Each checks
// what the real one checks (its key in the URL, its signature recomputed here from the shared
// secret and the timestamp it received, its size limit, well-formed UTF-8 JSON) and answers
// with that robot's codes. Every accepted request is recorded.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/time.h"

namespace rectify::testing {

using nlohmann::json;

struct ReceivedRequest {
  std::string robot;  // "wecom", "dingtalk", "feishu", "webhook"
  std::map<std::string, std::string> params;
  std::map<std::string, std::string> headers;
  std::string body;
  json message;  // the parsed body
};

class RobotReceiver {
 public:
  static constexpr const char* kWeComKey = "wecom-key-5f2c9a01-77b3";
  static constexpr const char* kDingTalkToken = "dingtalk-token-9c1e44d0b2";
  static constexpr const char* kDingTalkSecret = "SEC3d5f0a9b7c1e2d4f6a8b0c2e4f6a8b0c2e4f6a8b0c2e4f6a8b0c2e4f6a8b";
  static constexpr const char* kFeishuHook = "feishu-hook-2b7e1516-28ae";
  static constexpr const char* kFeishuSecret = "feishu-secret-qwErTy123456";

  // `now`: the receiver's clock, against which signed timestamps must be within an hour.
  explicit RobotReceiver(Instant now);
  ~RobotReceiver();
  RobotReceiver(const RobotReceiver&) = delete;
  RobotReceiver& operator=(const RobotReceiver&) = delete;

  std::string WeComUrl() const;
  std::string DingTalkUrl() const;
  std::string FeishuUrl() const;
  std::string WebhookUrl() const;

  // From now on every request is answered with this status and body, after its checks.
  void AnswerEverythingWith(int status, std::string body);
  // Back to answering as the real receiver would.
  void AnswerNormally();

  // The accepted requests to `robot`, oldest first.
  std::vector<ReceivedRequest> Received(const std::string& robot) const;

 private:
  class Server;  // httplib, kept out of this header: it is slow to compile

  // Records an accepted request; returns the forced answer, if any, to send instead.
  std::optional<std::pair<int, std::string>> Record(std::optional<ReceivedRequest> accepted);

  Instant now_;
  mutable std::mutex mutex_;
  std::vector<ReceivedRequest> received_;
  std::optional<std::pair<int, std::string>> forced_answer_;
  std::unique_ptr<Server> server_;  // last: it serves only once everything above exists
};

}  // namespace rectify::testing
