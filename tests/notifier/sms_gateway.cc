#include "tests/notifier/sms_gateway.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "tests/notifier/test_crypto.h"

namespace rectify::testing {
namespace {

using nlohmann::json;

constexpr Instant kDateWindow = 15 * 60;
constexpr std::size_t kMaxVariableChars = 35;
constexpr const char* kAlgorithm = "ACS3-HMAC-SHA256";

std::string Answer(const std::string& code, const std::string& message) {
  return json{{"Code", code}, {"Message", message}, {"RequestId", "F655A8D5-B967-440B-8683-DAD6FF8DE990"}}.dump();
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t end = text.find(separator); end != std::string::npos; end = text.find(separator, start)) {
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::size_t Characters(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// "Credential=…,SignedHeaders=…,Signature=…" after the algorithm, by name.
std::map<std::string, std::string> AuthorizationFields(const std::string& authorization) {
  std::map<std::string, std::string> fields;
  const std::string prefix = std::string(kAlgorithm) + " ";
  if (authorization.rfind(prefix, 0) != 0) return fields;
  for (const std::string& field : Split(authorization.substr(prefix.size()), ',')) {
    const std::size_t equals = field.find('=');
    if (equals != std::string::npos) fields[field.substr(0, equals)] = field.substr(equals + 1);
  }
  return fields;
}

std::optional<Instant> ParseUtc(const std::string& text) {
  std::tm utc{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%SZ", &utc);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<Instant>(timegm(&utc));
}

}  // namespace

class SmsGateway::Server {
 public:
  httplib::Server http;
  int port = 0;
  std::thread thread;
};

SmsGateway::SmsGateway(Instant now) : now_(now), server_(std::make_unique<Server>()) {
  httplib::Server& http = server_->http;
  http.Post("/", [this](const httplib::Request& request, httplib::Response& response) {
    std::map<std::string, std::string> headers;
    for (const auto& [name, value] : request.headers) headers.emplace(Lower(name), value);
    const std::size_t question = request.target.find('?');
    const std::string query = question == std::string::npos ? "" : request.target.substr(question + 1);
    const auto [status, body] = Handle(request.get_header_value("Authorization"), headers, query, request.body);
    response.status = status;
    response.set_content(body, "application/json;charset=utf-8");
  });
  server_->port = http.bind_to_any_port("127.0.0.1");
  if (server_->port <= 0) throw std::runtime_error("the SMS gateway cannot bind 127.0.0.1");
  server_->thread = std::thread([&http] { http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::yield();
}

SmsGateway::~SmsGateway() {
  server_->http.stop();
  server_->thread.join();
}

std::pair<int, std::string> SmsGateway::Handle(const std::string& authorization,
                                               const std::map<std::string, std::string>& headers,
                                               const std::string& query, const std::string& body) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto refuse = [this](int status, const std::string& code, const std::string& message) {
    ++refused_;
    return std::make_pair(status, Answer(code, message));
  };
  auto header = [&headers](const std::string& name) {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  };

  // The signature, recomputed from what arrived.
  const std::map<std::string, std::string> fields = AuthorizationFields(authorization);
  if (fields.count("Credential") == 0 || fields.count("SignedHeaders") == 0 || fields.count("Signature") == 0)
    return refuse(400, "IncompleteSignature", "The request signature does not conform to Aliyun standards.");
  if (fields.at("Credential") != kAccessKeyId) return refuse(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
  const std::vector<std::string> signed_names = Split(fields.at("SignedHeaders"), ';');
  for (const char* required :
       {"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"})
    if (std::find(signed_names.begin(), signed_names.end(), required) == signed_names.end())
      return refuse(400, "IncompleteSignature", std::string("The header ") + required + " is not signed.");
  if (!std::is_sorted(signed_names.begin(), signed_names.end()))
    return refuse(400, "IncompleteSignature", "SignedHeaders are not sorted.");
  std::string canonical_headers;
  for (const std::string& name : signed_names) canonical_headers += name + ":" + header(name) + "\n";
  const std::string canonical_request = "POST\n/\n" + query + "\n" + canonical_headers + "\n" +
                                        fields.at("SignedHeaders") + "\n" + HexSha256(body);
  const std::string string_to_sign = std::string(kAlgorithm) + "\n" + HexSha256(canonical_request);
  if (fields.at("Signature") != HexHmacSha256(kAccessKeySecret, string_to_sign) ||
      header("x-acs-content-sha256") != HexSha256(body))
    return refuse(400, "SignatureDoesNotMatch", "Specified signature does not match our calculation.");
  const std::optional<Instant> date = ParseUtc(header("x-acs-date"));
  if (!date || std::llabs(*date - now_) > kDateWindow)
    return refuse(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
  if (!nonces_.insert(header("x-acs-signature-nonce")).second)
    return refuse(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
  if (header("x-acs-action") != "SendSms" || header("x-acs-version") != "2017-05-25")
    return refuse(400, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");

  // SendSms's parameters, from the form (decoded by httplib, not by the notifier).
  httplib::Params params;
  httplib::detail::parse_query_text(body, params);
  auto param = [&params](const char* name) {
    const auto found = params.find(name);
    return found == params.end() ? std::string() : found->second;
  };
  SmsSent sent;
  sent.phone_numbers = Split(param("PhoneNumbers"), ',');
  sent.sign_name = param("SignName");
  sent.template_code = param("TemplateCode");
  sent.out_id = param("OutId");
  sent.template_param = json::parse(param("TemplateParam"), nullptr, false);
  if (sent.sign_name != kSignName) return refuse(200, "isv.SMS_SIGNATURE_ILLEGAL", "该账号下找不到对应签名");
  if (sent.template_code != kTemplateCode) return refuse(200, "isv.SMS_TEMPLATE_ILLEGAL", "该账号下找不到对应模板");
  for (const std::string& number : sent.phone_numbers)
    if (number.size() != 11 || number.find_first_not_of("0123456789") != std::string::npos)
      return refuse(200, "isv.MOBILE_NUMBER_ILLEGAL", "手机号码格式错误");
  if (!sent.template_param.is_object() || sent.template_param.size() != std::size(kVariables))
    return refuse(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
  for (const char* variable : kVariables) {
    const auto value = sent.template_param.find(variable);
    if (value == sent.template_param.end() || !value->is_string())
      return refuse(200, "isv.INVALID_JSON_PARAM", "JSON参数不合法，只接受字符串值");
    if (std::string(variable) != "link" && Characters(value->get<std::string>()) > kMaxVariableChars)
      return refuse(200, "isv.PARAM_LENGTH_LIMIT", "参数超出长度限制");
  }

  // Flow control per number: Aliyun's defaults.
  for (const std::string& number : sent.phone_numbers) {
    std::deque<Instant>& sends = sent_to_[number];
    const auto within = [&](Instant window) {
      return std::count_if(sends.begin(), sends.end(), [&](Instant at) { return at > now_ - window; });
    };
    if (within(60) >= 1) return refuse(200, "isv.BUSINESS_LIMIT_CONTROL", "触发分钟级流控Permits:1");
    if (within(3600) >= 5) return refuse(200, "isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5");
    if (within(86400) >= 10) return refuse(200, "isv.BUSINESS_LIMIT_CONTROL", "触发天级流控Permits:10");
  }
  if (forced_answer_) {
    ++refused_;
    return *forced_answer_;
  }
  for (const std::string& number : sent.phone_numbers) sent_to_[number].push_back(now_);
  received_.push_back(std::move(sent));
  return {200, json{{"Code", "OK"}, {"Message", "OK"}, {"BizId", "900619746936498440^0"},
                    {"RequestId", "F655A8D5-B967-440B-8683-DAD6FF8DE990"}}
                   .dump()};
}

std::string SmsGateway::Url() const { return "http://127.0.0.1:" + std::to_string(server_->port) + "/"; }

void SmsGateway::SetNow(Instant now) {
  std::lock_guard<std::mutex> lock(mutex_);
  now_ = now;
}

void SmsGateway::AnswerEverythingWith(int status, std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  forced_answer_ = std::make_pair(status, std::move(body));
}

void SmsGateway::AnswerNormally() {
  std::lock_guard<std::mutex> lock(mutex_);
  forced_answer_.reset();
}

std::vector<SmsSent> SmsGateway::Received() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

int SmsGateway::Refused() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refused_;
}

}  // namespace rectify::testing
