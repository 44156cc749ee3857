// A real receiver on 127.0.0.1 playing Aliyun's SMS gateway (dysmsapi SendSms, V3 signature).
// It checks what the real one checks, with OpenSSL called here rather than the notifier's code:
// the AccessKey, the ACS3-HMAC-SHA256 signature recomputed from the request it received, the
// body's hash, the date (within 15 minutes of its clock), a nonce never seen before, the
// approved sign name and template, the numbers, and each template variable's length. It holds
// each number to Aliyun's default flow control (1 a minute, 5 an hour, 10 a day) and answers
// isv.BUSINESS_LIMIT_CONTROL past it. Every accepted request is recorded.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/time.h"

namespace rectify::testing {

struct SmsSent {
  std::vector<std::string> phone_numbers;
  std::string sign_name;
  std::string template_code;
  nlohmann::json template_param;  // the variables, parsed
  std::string out_id;
};

class SmsGateway {
 public:
  static constexpr const char* kAccessKeyId = "LTAI5tRectifyTestKey01";
  static constexpr const char* kAccessKeySecret = "sms-secret-Zx81kQ0p3MvWq7Ty";
  static constexpr const char* kSignName = "高桥镇人民政府";
  static constexpr const char* kTemplateCode = "SMS_465872001";
  // The variables the approved template has.
  static constexpr const char* kVariables[] = {"unit", "overdue", "due", "item", "link"};

  // `now`: the gateway's clock, for the signature's date and the flow control.
  explicit SmsGateway(Instant now);
  ~SmsGateway();
  SmsGateway(const SmsGateway&) = delete;
  SmsGateway& operator=(const SmsGateway&) = delete;

  std::string Url() const;  // the endpoint, "http://127.0.0.1:port/"
  void SetNow(Instant now);

  // From now on every request that passes the checks is answered with this instead.
  void AnswerEverythingWith(int status, std::string body);
  void AnswerNormally();

  std::vector<SmsSent> Received() const;
  int Refused() const;  // requests answered with an error, of any kind

 private:
  class Server;  // httplib, kept out of this header: it is slow to compile

  // The gateway's verdict on one request: {HTTP status, JSON body}.
  std::pair<int, std::string> Handle(const std::string& authorization, const std::map<std::string, std::string>& headers,
                                     const std::string& query, const std::string& body);

  mutable std::mutex mutex_;
  Instant now_;
  std::vector<SmsSent> received_;
  int refused_ = 0;
  std::set<std::string> nonces_;
  std::map<std::string, std::deque<Instant>> sent_to_;  // number -> instants of accepted sends
  std::optional<std::pair<int, std::string>> forced_answer_;
  std::unique_ptr<Server> server_;  // last: it serves only once everything above exists
};

}  // namespace rectify::testing
