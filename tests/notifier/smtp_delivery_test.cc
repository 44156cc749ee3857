// Delivering digests by e-mail to a real SMTP server on loopback.
#include <catch2/catch.hpp>
#include <chrono>

#include "tests/notifier/delivery_helpers.h"
#include "tests/notifier/sample_digests.h"
#include "tests/notifier/smtp_server.h"

namespace rectify::testing {
namespace {

using notifier::ChannelConfig;

const Instant kNow = At("2021-10-27T09:00:00+08:00");

ChannelConfig Mail(const std::string& url) {
  ChannelConfig config;
  config.type = "smtp";
  config.url = url;
  config.from = "office@gaoqiao.example";
  config.to = {"school@gaoqiao.example", "principal@gaoqiao.example"};
  return config;
}

}  // namespace

TEST_CASE("an e-mail reaches the SMTP server with its subject recipients and body") {
  SmtpServer server;
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(Mail(server.Url())), SchoolDigest(), kNow);
  REQUIRE(outcome.status.ok());
  CHECK(outcome.parts == 1);
  const auto received = server.Received();
  REQUIRE(received.size() == 1);
  const ReceivedMail& mail = received[0];
  CHECK(mail.mail_from == "office@gaoqiao.example");
  CHECK(mail.rcpt_to == std::vector<std::string>{"school@gaoqiao.example", "principal@gaoqiao.example"});
  auto headers = mail.Headers();
  CHECK(headers["from"] == "office@gaoqiao.example");
  CHECK(headers["to"] == "school@gaoqiao.example, principal@gaoqiao.example");
  CHECK(headers["date"] == "Wed, 27 Oct 2021 09:00:00 +0800");
  CHECK(headers["content-type"] == "text/plain; charset=UTF-8");
  CHECK(mail.DecodedSubject() == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项");
  const std::string body = mail.DecodedBody();
  CHECK(body.find("1. 某村一名适龄儿童辍学未劝返\r\n   领域：义务教育｜整改时限：10月22日17:30｜逾期3个工作日\r\n") !=
        std::string::npos);
  CHECK(body.find("https://rectify.gaoqiao.example/items/75") != std::string::npos);
  for (std::size_t pos = 0, end; (end = mail.data.find("\r\n", pos)) != std::string::npos; pos = end + 2)
    CHECK(end - pos <= 76);  // RFC 2047 and 2045 line lengths
}

TEST_CASE("a repeated e-mail carries the same Message-ID") {
  SmtpServer server;
  const auto channel = MakeOrFail(Mail(server.Url()));
  REQUIRE(DeliverDigest(*channel, SchoolDigest(), kNow, "outbox-17").status.ok());
  REQUIRE(DeliverDigest(*channel, SchoolDigest(), kNow + 300, "outbox-17").status.ok());
  REQUIRE(DeliverDigest(*channel, SchoolDigest(), kNow, "outbox-18").status.ok());
  const auto received = server.Received();
  REQUIRE(received.size() == 3);
  const std::string first = received[0].Headers()["message-id"];
  CHECK(first.rfind("<", 0) == 0);
  CHECK(first.find("@gaoqiao.example>") != std::string::npos);
  CHECK(received[1].Headers()["message-id"] == first);
  CHECK(received[2].Headers()["message-id"] != first);
}

TEST_CASE("the supervisors' e-mail is headed 督办") {
  SmtpServer server;
  REQUIRE(DeliverDigest(*MakeOrFail(Mail(server.Url())), SupervisorDigest(), kNow).status.ok());
  const auto received = server.Received();
  REQUIRE(received.size() == 1);
  CHECK(received[0].DecodedSubject() == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】督办：逾期 3 项，涉及 2 个单位");
  CHECK(received[0].DecodedBody().find("镇规划建设办（1项）") != std::string::npos);
}

TEST_CASE("a refused recipient gives an error Status with the server's reply code") {
  SmtpServer server;
  server.RefuseRecipient("principal@gaoqiao.example");
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(Mail(server.Url())), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.code() == StatusCode::kInternal);
  CHECK(outcome.status.message().find("550") != std::string::npos);
  CHECK(server.Received().empty());
}

TEST_CASE("a password is never sent to a server that offers no STARTTLS") {
  SmtpServer server;
  ChannelConfig config = Mail(server.Url());
  config.username = "office";
  config.password = "hunter22-secret";
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(config), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.ToString().find("hunter22-secret") == std::string::npos);
  CHECK(server.Received().empty());
}

TEST_CASE("an SMTP server that is down gives an error Status within seconds") {
  const std::string url = "smtp://127.0.0.1:" + std::to_string(UnusedLoopbackPort());
  const auto start = std::chrono::steady_clock::now();
  const DeliveryOutcome outcome = DeliverDigest(*MakeOrFail(Mail(url)), SchoolDigest(), kNow);
  REQUIRE_FALSE(outcome.status.ok());
  CHECK(outcome.status.message().find("Couldn't connect to server") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

}  // namespace rectify::testing
