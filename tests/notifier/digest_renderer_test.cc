// How a digest reads in Chinese, and how a long one is split and truncated within a limit.
#include "notifier/digest_renderer.h"

#include <catch2/catch.hpp>

#include "notifier/message_packer.h"
#include "engine/text.h"
#include "tests/notifier/sample_digests.h"

namespace rectify::testing {
namespace {

using notifier::Markup;
using notifier::MessageLayout;
using notifier::PackLimits;

std::size_t Occurrences(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++count;
  return count;
}

// The N of a closing "…等N项", or 0 when there is none.
int LeftOut(const std::string& message) {
  const std::string mark = "…等";
  const std::size_t at = message.rfind(mark);
  if (at == std::string::npos) return 0;
  return std::stoi(message.substr(at + mark.size()));
}

}  // namespace

TEST_CASE("a unit digest reads as the unit's list of overdue and soon-due items") {
  const std::vector<std::string> messages = notifier::RenderDigest(SchoolDigest(), Markup::kPlain, PackLimits{});
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] == R"(【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项
截至10月27日09:00

逾期（3项）
1. 某村一名适龄儿童辍学未劝返
   领域：义务教育｜整改时限：10月22日17:30｜逾期3个工作日
   https://rectify.gaoqiao.example/items/42
2. 学生资助政策落实台账不全
   领域：义务教育｜整改时限：10月25日17:30｜逾期1个工作日
   https://rectify.gaoqiao.example/items/57
3. 控辍保学联控联保责任书未签订
   领域：义务教育｜整改时限：10月26日17:30｜逾期不足1个工作日
   https://rectify.gaoqiao.example/items/61

即将到期（2项）
1. 雨露计划补助发放情况未公示
   领域：义务教育｜整改时限：10月29日17:30｜还剩2个工作日
   https://rectify.gaoqiao.example/items/70
2. 李四户纳入监测对象
   所在村：向阳村｜整改时限：10月31日24:00｜还剩3个工作日
   https://rectify.gaoqiao.example/items/75)");
}

TEST_CASE("an item with no working day left is due today, or on a holiday after today's last working day") {
  Digest digest = SchoolDigest();
  digest.as_of = At("2021-09-30T09:00:00+08:00");  // the last working day before National Day
  digest.overdue.clear();
  digest.due_soon = {Item(70, "雨露计划补助发放情况未公示", At("2021-09-30T17:30:00+08:00"), false, 0),
                     Item(71, "送教上门台账不全", At("2021-10-03T00:00:00+08:00"), false, 0)};
  const std::string message = notifier::RenderDigest(digest, Markup::kPlain, PackLimits{}).front();
  CHECK(message.find("整改时限：9月30日17:30｜今日到期") != std::string::npos);
  CHECK(message.find("整改时限：10月2日24:00｜今日为到期前最后一个工作日") != std::string::npos);
}

TEST_CASE("in markdown the headline is a heading and each title links to its item") {
  const std::string message = notifier::RenderDigest(SchoolDigest(), Markup::kMarkdown, PackLimits{}).front();
  CHECK(message.rfind("### 【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项\n", 0) == 0);
  CHECK(message.find("**逾期（3项）**") != std::string::npos);
  CHECK(message.find("**即将到期（2项）**") != std::string::npos);
  CHECK(message.find("1. [某村一名适龄儿童辍学未劝返](https://rectify.gaoqiao.example/items/42)  \n"
                     "   领域：义务教育｜整改时限：10月22日17:30｜逾期3个工作日") != std::string::npos);
  CHECK(notifier::MessageTitle(message) == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：逾期 3 项，即将到期 2 项");
}

TEST_CASE("brackets in a title do not break its markdown link") {
  Digest digest = SchoolDigest();
  digest.overdue[0].title = "[紧急]学生资助台账";
  const std::string message = notifier::RenderDigest(digest, Markup::kMarkdown, PackLimits{}).front();
  CHECK(message.find("[［紧急］学生资助台账](https://rectify.gaoqiao.example/items/42)") != std::string::npos);
}

TEST_CASE("markup typed into a title or a 督办 note is shown, not rendered, by a robot's markdown") {
  Digest digest = SchoolDigest();
  digest.overdue[0].title = "台账<font color=\"warning\">紧急</font> **加粗** <@all> `x` # _y_";
  digest.overdue[0].supervision = "督办<b>x</b>";
  const std::string markdown = notifier::RenderDigest(digest, Markup::kMarkdown, PackLimits{}).front();
  INFO(markdown);
  CHECK(markdown.find("[台账＜font color=\"warning\"＞紧急＜/font＞ ＊＊加粗＊＊ ＜@all＞ ｀x｀ ＃ ＿y＿](") != std::string::npos);
  CHECK(markdown.find("督办：督办＜b＞x＜/b＞") != std::string::npos);
  CHECK(markdown.find("<font") == std::string::npos);
  CHECK(markdown.find("<@all>") == std::string::npos);
  // E-mail and SMS show text as it is: there it was typed, there it stays.
  const std::string plain = notifier::RenderDigest(digest, Markup::kPlain, PackLimits{}).front();
  CHECK(plain.find("台账<font color=\"warning\">紧急</font> **加粗** <@all>") != std::string::npos);
}

TEST_CASE("the supervisors' digest is headed 督办 and groups the items by responsible unit") {
  const std::string message = notifier::RenderDigest(SupervisorDigest(), Markup::kPlain, PackLimits{}).front();
  CHECK(notifier::MessageTitle(message) == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】督办：逾期 3 项，涉及 2 个单位");
  CHECK(message.find("致镇纪委：") != std::string::npos);
  const std::size_t school = message.find("\n镇中心校（2项）\n");
  const std::size_t housing = message.find("\n镇规划建设办（1项）\n");
  REQUIRE(school != std::string::npos);
  REQUIRE(housing != std::string::npos);
  CHECK(school < housing);
  // Both of the school's items come under the school, before the housing office's.
  CHECK(message.find("某村一名适龄儿童辍学未劝返") > school);
  CHECK(message.find("学生资助政策落实台账不全") > school);
  CHECK(message.find("学生资助政策落实台账不全") < housing);
  CHECK(message.find("危房改造户未入住") > housing);
  CHECK(message.find("领域：住房安全｜整改时限：10月21日17:30｜逾期4个工作日") != std::string::npos);
}

TEST_CASE("a digest with no items says there is nothing overdue or due soon") {
  Digest digest = SchoolDigest();
  digest.overdue.clear();
  digest.due_soon.clear();
  const std::vector<std::string> messages = notifier::RenderDigest(digest, Markup::kPlain, PackLimits{2048, 3, {}});
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] == "【高桥镇巩固脱贫攻坚成果秋季攻势行动】镇中心校：无逾期或即将到期事项\n截至10月27日09:00");
}

TEST_CASE("deadlines read as month and day with the time and midnight as 24:00 of the day before") {
  struct Case {
    const char* deadline;
    const char* as_of;
    const char* shown;
  };
  const Case cases[] = {
      {"2021-10-26T17:30:00+08:00", "2021-10-20T09:00:00+08:00", "10月26日17:30"},
      {"2021-11-01T00:00:00+08:00", "2021-10-20T09:00:00+08:00", "10月31日24:00"},
      {"2021-10-09T08:05:00+08:00", "2021-10-20T09:00:00+08:00", "10月9日08:05"},
      {"2022-01-05T17:30:00+08:00", "2021-12-30T09:00:00+08:00", "2022年1月5日17:30"},
      {"2022-01-01T00:00:00+08:00", "2021-12-30T09:00:00+08:00", "12月31日24:00"},
  };
  for (const Case& c : cases) {
    INFO(c.deadline);
    CHECK(notifier::FormatDeadline(At(c.deadline), At(c.as_of)) == c.shown);
  }
}

TEST_CASE("a digest over the limit is split into parts marked with their number") {
  const Digest digest = LargeDigest(30);
  const std::vector<std::string> messages = notifier::RenderDigest(digest, Markup::kMarkdown, PackLimits{4096, 3, {}});
  REQUIRE(messages.size() >= 2);
  REQUIRE(messages.size() <= 3);
  std::size_t listed = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string marker = "（" + std::to_string(i + 1) + "/" + std::to_string(messages.size()) + "）";
    CHECK(messages[i].size() <= 4096);
    CHECK(notifier::MessageTitle(messages[i]).size() > marker.size());
    CHECK(notifier::MessageTitle(messages[i]).substr(notifier::MessageTitle(messages[i]).size() - marker.size()) ==
          marker);
    CHECK(messages[i].find("截至10月27日09:00") != std::string::npos);
    CHECK(messages[i].find("**逾期（30项）**") != std::string::npos);  // the section heading, again in each part
    CHECK(LeftOut(messages[i]) == 0);
    listed += Occurrences(messages[i], "](https://rectify.gaoqiao.example/items/");
  }
  CHECK(listed == 30);
}

TEST_CASE("a digest too long for three parts ends with …等N项 counting the items left out") {
  const Digest digest = LargeDigest(200);
  for (const std::size_t limit : {std::size_t{2048}, std::size_t{4000}, std::size_t{4096}}) {
    INFO("limit " << limit);
    const std::vector<std::string> messages =
        notifier::RenderDigest(digest, Markup::kMarkdown, PackLimits{limit, 3, {}});
    REQUIRE(messages.size() == 3);
    std::size_t listed = 0;
    for (const std::string& message : messages) {
      CHECK(message.size() <= limit);
      CHECK(IsValidUtf8(message));
      listed += Occurrences(message, "](https://rectify.gaoqiao.example/items/");
    }
    CHECK(LeftOut(messages[0]) == 0);
    CHECK(LeftOut(messages[1]) == 0);
    const int left_out = LeftOut(messages[2]);
    CHECK(left_out > 0);
    CHECK(listed + static_cast<std::size_t>(left_out) == 200);
    // The most urgent come first, so what is left out is the tail of the list.
    CHECK(messages[0].find("第1项：") != std::string::npos);
    CHECK(messages[2].find("第200项：") == std::string::npos);
    CHECK(messages[2].substr(messages[2].size() - std::string("…等" + std::to_string(left_out) + "项").size()) ==
          "…等" + std::to_string(left_out) + "项");
  }
}

TEST_CASE("a truncate-only limit keeps one message and counts the rest") {
  const std::vector<std::string> messages =
      notifier::RenderDigest(LargeDigest(50), Markup::kPlain, PackLimits{2048, 1, {}});
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].size() <= 2048);
  CHECK(messages[0].find("（1/") == std::string::npos);
  CHECK(Occurrences(messages[0], "https://") + static_cast<std::size_t>(LeftOut(messages[0])) == 50);
}

TEST_CASE("an item longer than a whole message is cut short on a character boundary") {
  Digest digest = SchoolDigest();
  std::string huge;
  for (int i = 0; i < 2000; ++i) huge += "超";  // 6000 bytes of three-byte characters
  digest.overdue[0].title = huge;
  for (const std::size_t limit : {std::size_t{700}, std::size_t{1001}, std::size_t{1002}, std::size_t{2048}}) {
    INFO("limit " << limit);
    const std::vector<std::string> messages = notifier::RenderDigest(digest, Markup::kPlain, PackLimits{limit, 3, {}});
    for (const std::string& message : messages) {
      CHECK(message.size() <= limit);
      CHECK(IsValidUtf8(message));
    }
    CHECK(messages[0].find("超…") != std::string::npos);
  }
}

TEST_CASE("parts are measured the way the receiver counts them") {
  // A receiver that counts every byte twice, as if each were escaped.
  const auto doubled = [](const std::string& text) { return text.size() * 2; };
  const std::vector<std::string> messages =
      notifier::RenderDigest(LargeDigest(200), Markup::kPlain, PackLimits{8000, 3, doubled});
  REQUIRE(messages.size() == 3);
  for (const std::string& message : messages) CHECK(message.size() * 2 <= 8000);
  CHECK(LeftOut(messages[2]) > 0);
}

TEST_CASE("the first part alone carries the footer") {
  MessageLayout layout = notifier::DigestLayout(LargeDigest(40), Markup::kMarkdown);
  layout.first_part_footer = "@13800000000 @13900000000";
  const std::vector<std::string> messages = notifier::PackMessages(layout, PackLimits{4000, 3, {}});
  REQUIRE(messages.size() >= 2);
  CHECK(messages[0].find("\n\n@13800000000 @13900000000") != std::string::npos);
  for (std::size_t i = 1; i < messages.size(); ++i) CHECK(messages[i].find("@138") == std::string::npos);
}

TEST_CASE("a UTF-8 prefix never ends inside a character") {
  const std::string text = "高桥镇a😀b";  // 3+3+3 bytes, 'a', a four-byte emoji, 'b'
  struct Case {
    std::size_t max;
    const char* prefix;
  };
  const Case cases[] = {{0, ""},         {2, ""},         {3, "高"},        {5, "高"},         {9, "高桥镇"},
                        {10, "高桥镇a"}, {13, "高桥镇a"}, {14, "高桥镇a😀"}, {15, "高桥镇a😀b"}, {99, "高桥镇a😀b"}};
  for (const Case& c : cases) {
    INFO("max " << c.max);
    CHECK(Utf8Prefix(text, c.max) == c.prefix);
  }
  CHECK(Utf8Ellipsize(text, 8) == "高…");
  CHECK(Utf8Ellipsize(text, 15) == text);
}

TEST_CASE("user text is cleaned of malformed bytes and control characters") {
  CHECK(CleanLine(" 台账\n不全\t(1)\x01 ") == "台账 不全 (1)");
  CHECK(CleanLine("a\xff"
                            "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(CleanLine("\xE9\xAB") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // a character cut short
  CHECK(IsValidUtf8("高桥镇😀"));
  CHECK_FALSE(IsValidUtf8("\xE9\xAB"));
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // a surrogate
}

TEST_CASE("the office's digest puts its own work apart from what waits for it to close") {
  Digest digest = SchoolDigest();
  digest.unit_name = "镇农业农村和乡村振兴办公室";
  digest.overdue = {Item(42, "某村一名适龄儿童辍学未劝返", At("2021-10-22T17:30:00+08:00"), true, 3)};
  digest.overdue[0].ask = "待交办";
  digest.due_soon = {Item(70, "雨露计划补助发放情况未公示", At("2021-10-29T17:30:00+08:00"), false, 2)};
  digest.due_soon[0].ask = "待销号";
  digest.due_soon[0].awaits_close = true;
  const std::string message = notifier::RenderDigest(digest, Markup::kPlain, PackLimits{}).front();
  CHECK(message.substr(message.find("\n\n") + 2) == R"(待交办·逾期（1项）
1. 某村一名适龄儿童辍学未劝返
   领域：义务教育｜整改时限：10月22日17:30｜逾期3个工作日｜待交办
   https://rectify.gaoqiao.example/items/42

待销号（1项）
1. 雨露计划补助发放情况未公示
   领域：义务教育｜整改时限：10月29日17:30｜还剩2个工作日｜待销号
   https://rectify.gaoqiao.example/items/70)");
}

TEST_CASE("a digest merged from two campaigns that both left lines out links to each campaign's list by name") {
  const std::string autumn_page = "http://r/?campaign=gaoqiao-2021-autumn";
  const std::string special_page = "http://r/?campaign=gaoqiao-2021-special";
  Digest autumn = SchoolDigest();
  autumn.overdue_unlisted = 4;
  autumn.full_lists = {{"秋季攻势行动", autumn_page}};
  Digest special = SchoolDigest();
  special.campaign_name = "专项整治";
  for (DigestItem* item : {&special.overdue[0], &special.overdue[1], &special.overdue[2]}) item->campaign_name = "专项整治";
  special.due_soon.clear();
  special.due_soon_unlisted = 2;
  special.full_lists = {{"专项整治", special_page}};

  SECTION("one campaign: its page, unnamed") {
    const std::string message = notifier::RenderDigest(autumn, Markup::kPlain, PackLimits{}).front();
    CHECK(message.find("另有逾期4项未列出，全部请登录查看：" + autumn_page) != std::string::npos);
    const std::string markdown = notifier::RenderDigest(autumn, Markup::kMarkdown, PackLimits{}).front();
    CHECK(markdown.find("另有逾期4项未列出，[全部请登录查看](" + autumn_page + ")") != std::string::npos);
  }
  SECTION("two campaigns: each page under its campaign's name, in the order merged") {
    Digest merged;
    notifier::MergeDigest(merged, autumn);
    notifier::MergeDigest(merged, special);
    notifier::MergeDigest(merged, special);  // a page already linked is not linked twice
    REQUIRE(merged.full_lists.size() == 2);
    CHECK(merged.full_lists[0].link == autumn_page);
    CHECK(merged.full_lists[1].link == special_page);
    CHECK(merged.overdue_unlisted == 4);
    CHECK(merged.due_soon_unlisted == 4);
    const std::string message = notifier::RenderDigest(merged, Markup::kPlain, PackLimits{}).front();
    CHECK(message.find("另有逾期4项、即将到期4项未列出，全部请登录查看：【秋季攻势行动】" + autumn_page + "；【专项整治】" +
                       special_page) != std::string::npos);
    const std::string markdown = notifier::RenderDigest(merged, Markup::kMarkdown, PackLimits{}).front();
    CHECK(markdown.find("全部请登录查看：[【秋季攻势行动】](" + autumn_page + ")；[【专项整治】](" + special_page + ")") !=
          std::string::npos);
  }
  SECTION("a campaign that left nothing out adds no link") {
    Digest merged;
    special.due_soon_unlisted = 0;
    special.full_lists.clear();
    notifier::MergeDigest(merged, autumn);
    notifier::MergeDigest(merged, special);
    REQUIRE(merged.full_lists.size() == 1);
    const std::string message = notifier::RenderDigest(merged, Markup::kPlain, PackLimits{}).front();
    CHECK(message.find("全部请登录查看：" + autumn_page) != std::string::npos);
    CHECK(message.find("【秋季攻势行动】" + autumn_page) == std::string::npos);
  }
}

}  // namespace rectify::testing
