// Digests as the scan would build them for the Gaoqiao autumn campaign, on 2021-10-27 09:00.
#pragma once

#include <string>

#include "engine/time.h"
#include "notifier/digest.h"

namespace rectify::testing {

using notifier::Digest;
using notifier::DigestItem;

inline Instant At(const char* text) { return *ParseInstant(text); }

inline DigestItem Item(std::int64_t id, std::string title, Instant deadline, bool overdue, int working_days,
                       std::string kind = "problem", std::string area = "义务教育", std::string unit = "镇中心校") {
  DigestItem item;
  item.id = id;
  item.kind = std::move(kind);
  item.title = std::move(title);
  item.area_name = std::move(area);
  item.unit_name = std::move(unit);
  item.deadline = deadline;
  item.overdue = overdue;
  (overdue ? item.working_days_overdue : item.working_days_left) = working_days;
  item.link = "https://rectify.gaoqiao.example/items/" + std::to_string(id);
  return item;
}

// 镇中心校: three overdue problems and two due soon, one of them an enrollment.
inline Digest SchoolDigest() {
  Digest digest;
  digest.unit_id = "town_central_school";
  digest.unit_name = "镇中心校";
  digest.campaign_name = "高桥镇巩固脱贫攻坚成果秋季攻势行动";
  digest.as_of = At("2021-10-27T09:00:00+08:00");
  digest.overdue = {Item(42, "某村一名适龄儿童辍学未劝返", At("2021-10-22T17:30:00+08:00"), true, 3),
                    Item(57, "学生资助政策落实台账不全", At("2021-10-25T17:30:00+08:00"), true, 1),
                    Item(61, "控辍保学联控联保责任书未签订", At("2021-10-26T17:30:00+08:00"), true, 0)};
  digest.due_soon = {Item(70, "雨露计划补助发放情况未公示", At("2021-10-29T17:30:00+08:00"), false, 2),
                     Item(75, "李四户纳入监测对象", At("2021-11-01T00:00:00+08:00"), false, 3, "enrollment", "向阳村")};
  return digest;
}

// The 督办 list for 镇纪委: overdue items of two units.
inline Digest SupervisorDigest() {
  Digest digest;
  digest.audience = Digest::Audience::kSupervisors;
  digest.unit_id = "discipline_commission";
  digest.unit_name = "镇纪委";
  digest.campaign_name = "高桥镇巩固脱贫攻坚成果秋季攻势行动";
  digest.as_of = At("2021-10-27T09:00:00+08:00");
  digest.overdue = {
      Item(42, "某村一名适龄儿童辍学未劝返", At("2021-10-20T17:30:00+08:00"), true, 5),
      Item(88, "危房改造户未入住", At("2021-10-21T17:30:00+08:00"), true, 4, "problem", "住房安全", "镇规划建设办"),
      Item(57, "学生资助政策落实台账不全", At("2021-10-22T17:30:00+08:00"), true, 3)};
  return digest;
}

// `count` overdue items with long titles, to overflow any robot message.
inline Digest LargeDigest(int count) {
  Digest digest = SchoolDigest();
  digest.overdue.clear();
  digest.due_soon.clear();
  for (int i = 1; i <= count; ++i) {
    digest.overdue.push_back(
        Item(1000 + i, "第" + std::to_string(i) + "项：脱贫户家庭成员义务教育阶段控辍保学情况核查发现问题需整改",
             At("2021-10-22T17:30:00+08:00"), true, 3));
  }
  return digest;
}

}  // namespace rectify::testing
