#include "tests/notifier/robot_receiver.h"

#include <httplib.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "tests/notifier/test_crypto.h"

namespace rectify::testing {
namespace {

constexpr std::size_t kWeComMarkdownBytes = 4096;
constexpr std::size_t kWeComTextBytes = 2048;
constexpr std::size_t kDingTalkBodyBytes = 20000;
constexpr std::size_t kFeishuBodyBytes = 20 * 1024;
constexpr Instant kSignatureWindow = 3600;

struct Verdict {
  int status = 200;
  json reply;  // null: an empty body
};

json Errcode(int code, const std::string& message) { return {{"errcode", code}, {"errmsg", message}}; }
json FeishuCode(int code, const std::string& message) {
  return {{"code", code}, {"msg", message}, {"data", json::object()}};
}

bool Accepted(const std::string& robot, const Verdict& verdict) {
  if (verdict.status / 100 != 2) return false;
  if (robot == "webhook") return true;
  for (const char* name : {"errcode", "code"})
    if (verdict.reply.contains(name)) return verdict.reply.at(name) == json(0);
  return false;
}

// The string at `pointer` ("/markdown/text"), or "" when the body has none there.
std::string StringAt(const json& message, const std::string& pointer) {
  if (!message.is_object()) return {};
  const json::json_pointer path(pointer);
  if (!message.contains(path) || !message.at(path).is_string()) return {};
  return message.at(path).get<std::string>();
}

bool Fresh(const std::string& timestamp_s, Instant now) {
  return !timestamp_s.empty() && std::llabs(std::atoll(timestamp_s.c_str()) - now) <= kSignatureWindow;
}

Verdict CheckWeCom(const httplib::Request& request, const json& message) {
  if (request.get_param_value("key") != RobotReceiver::kWeComKey) return {200, Errcode(93000, "invalid webhook url")};
  if (!message.is_object()) return {200, Errcode(40035, "invalid json")};
  const std::string type = StringAt(message, "/msgtype");
  if (type != "markdown" && type != "text") return {200, Errcode(40008, "invalid message type")};
  const std::string content = StringAt(message, "/" + type + "/content");
  const std::size_t limit = type == "markdown" ? kWeComMarkdownBytes : kWeComTextBytes;
  if (content.empty() || content.size() > limit)
    return {200, Errcode(40058, type + ".content exceed max length " + std::to_string(limit))};
  return {200, Errcode(0, "ok")};
}

Verdict CheckDingTalk(const httplib::Request& request, const json& message, Instant now) {
  if (request.get_param_value("access_token") != RobotReceiver::kDingTalkToken)
    return {200, Errcode(300001, "token is not exist")};
  const std::string timestamp_ms = request.get_param_value("timestamp");
  const std::string expected =
      Base64HmacSha256(RobotReceiver::kDingTalkSecret, timestamp_ms + "\n" + RobotReceiver::kDingTalkSecret);
  const std::string timestamp_s = timestamp_ms.size() > 3 ? timestamp_ms.substr(0, timestamp_ms.size() - 3) : "";
  if (!Fresh(timestamp_s, now) || request.get_param_value("sign") != expected)
    return {200, Errcode(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")};
  if (request.body.size() > kDingTalkBodyBytes) return {200, Errcode(460101, "message too long, exceed 20000 bytes")};
  if (StringAt(message, "/msgtype") != "markdown" || StringAt(message, "/markdown/title").empty() ||
      StringAt(message, "/markdown/text").empty())
    return {200, Errcode(300005, "param error")};
  return {200, Errcode(0, "ok")};
}

Verdict CheckFeishu(const httplib::Request& request, const json& message, Instant now) {
  if (request.matches.size() < 2 || request.matches[1] != RobotReceiver::kFeishuHook)
    return {200, FeishuCode(19001, "param invalid: incoming webhook access token invalid")};
  if (request.body.size() > kFeishuBodyBytes) return {200, FeishuCode(9499, "Bad Request: body too large")};
  if (!message.is_object()) return {200, FeishuCode(9499, "Bad Request")};
  const std::string timestamp = StringAt(message, "/timestamp");
  const std::string expected = Base64HmacSha256(timestamp + "\n" + RobotReceiver::kFeishuSecret, "");
  if (!Fresh(timestamp, now) || StringAt(message, "/sign") != expected)
    return {200, FeishuCode(19021, "sign match fail or timestamp is not within one hour from current time")};
  const std::string type = StringAt(message, "/msg_type");
  if (type != "post" && type != "text") return {200, FeishuCode(19002, "params error, msg_type need")};
  return {200, FeishuCode(0, "success")};
}

Verdict Check(const std::string& robot, const httplib::Request& request, const json& message, Instant now) {
  if (robot == "wecom") return CheckWeCom(request, message);
  if (robot == "dingtalk") return CheckDingTalk(request, message, now);
  if (robot == "feishu") return CheckFeishu(request, message, now);
  if (!message.is_object()) return {400, {{"error", "not a JSON object"}}};
  return {202, nullptr};
}

}  // namespace

class RobotReceiver::Server {
 public:
  httplib::Server http;
  int port = 0;
  std::thread thread;
};

RobotReceiver::RobotReceiver(Instant now) : now_(now), server_(std::make_unique<Server>()) {
  const auto route = [this](const std::string& robot) {
    return [this, robot](const httplib::Request& request, httplib::Response& response) {
      // nlohmann's parser rejects malformed UTF-8, so a message cut inside a character fails.
      const json message = json::parse(request.body, nullptr, false);
      const Verdict verdict = Check(robot, request, message, now_);
      std::optional<ReceivedRequest> accepted;
      if (Accepted(robot, verdict)) {
        accepted = ReceivedRequest{robot, {}, {}, request.body, message};
        for (const auto& [name, value] : request.params) accepted->params[name] = value;
        for (const auto& [name, value] : request.headers) accepted->headers[name] = value;
      }
      if (const auto forced = Record(std::move(accepted))) {
        response.status = forced->first;
        response.set_content(forced->second, "application/json");
        return;
      }
      response.status = verdict.status;
      if (!verdict.reply.is_null()) response.set_content(verdict.reply.dump(), "application/json");
    };
  };
  httplib::Server& http = server_->http;
  http.Post("/cgi-bin/webhook/send", route("wecom"));
  http.Post("/robot/send", route("dingtalk"));
  http.Post(R"(/open-apis/bot/v2/hook/(.+))", route("feishu"));
  http.Post("/hook", route("webhook"));
  server_->port = http.bind_to_any_port("127.0.0.1");
  if (server_->port <= 0) throw std::runtime_error("the robot receiver cannot bind 127.0.0.1");
  server_->thread = std::thread([&http] { http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::yield();
}

RobotReceiver::~RobotReceiver() {
  server_->http.stop();
  server_->thread.join();
}

std::string RobotReceiver::WeComUrl() const {
  return "http://127.0.0.1:" + std::to_string(server_->port) + "/cgi-bin/webhook/send?key=" + kWeComKey;
}
std::string RobotReceiver::DingTalkUrl() const {
  return "http://127.0.0.1:" + std::to_string(server_->port) + "/robot/send?access_token=" + kDingTalkToken;
}
std::string RobotReceiver::FeishuUrl() const {
  return "http://127.0.0.1:" + std::to_string(server_->port) + "/open-apis/bot/v2/hook/" + kFeishuHook;
}
std::string RobotReceiver::WebhookUrl() const { return "http://127.0.0.1:" + std::to_string(server_->port) + "/hook"; }

void RobotReceiver::AnswerEverythingWith(int status, std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  forced_answer_ = std::make_pair(status, std::move(body));
}

void RobotReceiver::AnswerNormally() {
  std::lock_guard<std::mutex> lock(mutex_);
  forced_answer_.reset();
}

std::vector<ReceivedRequest> RobotReceiver::Received(const std::string& robot) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ReceivedRequest> out;
  for (const ReceivedRequest& request : received_)
    if (request.robot == robot) out.push_back(request);
  return out;
}

std::optional<std::pair<int, std::string>> RobotReceiver::Record(std::optional<ReceivedRequest> accepted) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (accepted) received_.push_back(std::move(*accepted));
  return forced_answer_;
}

}  // namespace rectify::testing
