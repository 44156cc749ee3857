#include "notifier/digest_renderer.h"

#include <cstdio>
#include <set>

#include "engine/item_facts.h"
#include "engine/text.h"

namespace rectify::notifier {
namespace {

// User text is cut so that one item always fits a 2048-byte robot message with room to spare.
constexpr std::size_t kMaxNameBytes = 120;
constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxLinkBytes = 500;
constexpr std::string_view kMarkdownHeading = "### ";

std::string Name(const std::string& text) { return Utf8Ellipsize(CleanLine(text), kMaxNameBytes); }

std::string MonthDayTime(Instant instant, bool with_year) {
  // Midnight is shown as 24:00 of the day before: the deadline "10月底前" is 11-01 00:00.
  Instant shown = instant;
  int seconds =
      static_cast<int>(((instant + kShanghaiUtcOffsetSeconds) % kSecondsPerDay + kSecondsPerDay) % kSecondsPerDay);
  if (seconds == 0) {
    shown -= 1;
    seconds = kSecondsPerDay;
  }
  const CivilDate date = ShanghaiDate(shown);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%d月%d日%02d:%02d", date.month, date.day, seconds / 3600, seconds % 3600 / 60);
  return with_year ? std::to_string(date.year) + "年" + buffer : std::string(buffer);
}

std::string Count(std::size_t n) { return std::to_string(n); }

std::string DaysText(const DigestItem& item, Instant as_of) {
  if (item.overdue) {
    return item.working_days_overdue > 0 ? "逾期" + std::to_string(item.working_days_overdue) + "个工作日"
                                         : "逾期不足1个工作日";
  }
  if (item.working_days_left > 0) return "还剩" + std::to_string(item.working_days_left) + "个工作日";
  // No working day left, but the deadline may fall on a holiday after today (09-30 for 10-02).
  return DeadlineDay(item.deadline) == ShanghaiDate(as_of) ? "今日到期" : "今日为到期前最后一个工作日";
}

// What people typed, made inert in a robot's markdown: square brackets would end a link text
// early, and WeCom and DingTalk render <font color=…>, <@userid> mentions, **bold**, _italics_,
// `code`, # headings and > quotes from the text itself. Each becomes its full-width twin, which
// reads the same to a person and means nothing to the renderer.
std::string MarkdownText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '[': out += "［"; break;
      case ']': out += "］"; break;
      case '<': out += "＜"; break;
      case '>': out += "＞"; break;
      case '*': out += "＊"; break;
      case '_': out += "＿"; break;
      case '`': out += "｀"; break;
      case '#': out += "＃"; break;
      case '~': out += "～"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Entry(const DigestItem& item, std::size_t number, const Digest& digest, Markup markup) {
  const auto typed = [markup](const std::string& text) {
    return markup == Markup::kMarkdown ? MarkdownText(text) : text;
  };
  const std::string title = typed(Utf8Ellipsize(CleanLine(item.title), kMaxTitleBytes));
  const std::string link = Utf8Ellipsize(CleanLine(item.link), kMaxLinkBytes);
  const std::string place = (item.kind == "enrollment" ? "所在村：" : "领域：") + Name(item.area_name);
  const std::string facts = (item.tier_name.empty() ? "" : "【" + item.tier_name + "】") +
                            (item.area_name.empty() ? "" : place + "｜") + item.deadline_label + "：" +
                            FormatDeadline(item.deadline, digest.as_of) + "｜" + DaysText(item, digest.as_of) +
                            (item.cannot_finish_since ? "｜已无法按期完成，请及时申请延期" : "") +
                            (item.ask.empty() ? "" : "｜" + typed(Utf8Ellipsize(CleanLine(item.ask), kMaxTitleBytes))) +
                            (item.awaits_sign_for ? "｜待签收" : "");
  const std::string supervision =
      item.supervision.empty() ? "" : "督办：" + typed(Utf8Ellipsize(CleanLine(item.supervision), kMaxTitleBytes));
  const std::string prefix = std::to_string(number) + ". ";
  if (markup == Markup::kPlain) {
    std::string out = prefix + title + "\n   " + facts;
    if (!supervision.empty()) out += "\n   " + supervision;
    if (!link.empty()) out += "\n   " + link;
    return out;
  }
  // Two spaces before a line break: a hard break for DingTalk, harmless for WeCom.
  const std::string shown = link.empty() ? title : "[" + title + "](" + link + ")";
  return prefix + shown + "  \n   " + facts + (supervision.empty() ? "" : "  \n   " + supervision);
}

std::string SectionHeading(const std::string& label, std::size_t count, Markup markup) {
  const std::string text = label + "（" + Count(count) + "项）";
  return markup == Markup::kMarkdown ? "**" + text + "**" : text;
}

void AddUnitSections(const Digest& digest, Markup markup, MessageLayout& layout) {
  // A digest gathering several campaigns groups its lines by campaign, each named.
  const std::vector<std::string> campaigns = CampaignsOf(digest);
  const bool several = campaigns.size() > 1;
  // The office's own work (待交办, and any it is responsible for) comes apart from what waits for
  // it to close (待销号), which gets a section of its own after it.
  bool closing = false;
  for (const auto* list : {&digest.overdue, &digest.due_soon})
    for (const DigestItem& item : *list) closing = closing || item.awaits_close;
  for (const std::string& campaign : several ? campaigns : std::vector<std::string>{""}) {
    const std::string prefix = several ? "【" + Name(campaign) + "】" : "";
    auto section = [&](const std::string& label, std::vector<const std::vector<DigestItem>*> lists, bool awaits_close) {
      MessageLayout::Section out{"", {}};
      for (const std::vector<DigestItem>* items : lists)
        for (const DigestItem& item : *items)
          if ((!several || item.campaign_name == campaign) && item.awaits_close == awaits_close)
            out.entries.push_back(Entry(item, out.entries.size() + 1, digest, markup));
      out.heading = SectionHeading(prefix + label, out.entries.size(), markup);
      return out;
    };
    const std::string own = closing ? "待交办·" : "";
    layout.sections.push_back(section(own + "逾期", {&digest.overdue}, false));
    layout.sections.push_back(section(own + "即将到期", {&digest.due_soon}, false));
    if (closing) layout.sections.push_back(section("待销号", {&digest.overdue, &digest.due_soon}, true));
  }
}

struct UnitGroup {
  std::string unit;
  std::vector<const DigestItem*> items;
};

// The items by responsible unit, in the order the units first appear (so the unit with the
// most overdue item comes first); within a unit, overdue items before due-soon ones.
std::vector<UnitGroup> GroupByUnit(const Digest& digest) {
  std::vector<UnitGroup> groups;
  for (const auto* list : {&digest.overdue, &digest.due_soon}) {
    for (const DigestItem& item : *list) {
      std::string unit = Name(item.answerable_name.empty() ? item.unit_name : item.answerable_name);
      if (unit.empty()) unit = "未指定单位";
      std::size_t i = 0;
      while (i < groups.size() && groups[i].unit != unit) ++i;
      if (i == groups.size()) groups.push_back({std::move(unit), {}});
      groups[i].items.push_back(&item);
    }
  }
  return groups;
}

void AddSupervisorSections(const Digest& digest, Markup markup, MessageLayout& layout) {
  for (const UnitGroup& group : GroupByUnit(digest)) {
    MessageLayout::Section section{SectionHeading(group.unit, group.items.size(), markup), {}};
    for (const DigestItem* item : group.items)
      section.entries.push_back(Entry(*item, section.entries.size() + 1, digest, markup));
    layout.sections.push_back(std::move(section));
  }
}

// The responsible units of the supervisors' list, listed or left out.
std::size_t UnitsOnList(const Digest& digest) {
  std::set<std::string> units;
  for (const UnitGroup& group : GroupByUnit(digest)) units.insert(group.unit);
  for (const auto& [unit, count] : digest.unlisted_by_unit) units.insert(Name(unit).empty() ? "未指定单位" : Name(unit));
  return units.size();
}

// "，全部请登录查看：<link>": the page of the campaign whose lines were left out, or of each
// campaign by name when they span several ("【专项整治】<link>；【秋季攻势】<link>").
std::string FullListNote(const Digest& digest, Markup markup) {
  const bool markdown = markup == Markup::kMarkdown;
  if (digest.full_lists.size() == 1) {
    const std::string link = Utf8Ellipsize(CleanLine(digest.full_lists.front().link), kMaxLinkBytes);
    return markdown ? "，[全部请登录查看](" + link + ")" : "，全部请登录查看：" + link;
  }
  std::string links;
  for (const CampaignLink& page : digest.full_lists) {
    const std::string link = Utf8Ellipsize(CleanLine(page.link), kMaxLinkBytes);
    const std::string name = "【" + Name(page.campaign_name) + "】";
    links += (links.empty() ? "" : "；") + (markdown ? "[" + MarkdownText(name) + "](" + link + ")" : name + link);
  }
  return links.empty() ? "" : "，全部请登录查看：" + links;
}

// "另有逾期3项、即将到期2项未列出，全部请登录查看：<link>", or "" when every line is listed.
std::string UnlistedNote(const Digest& digest, Markup markup) {
  std::string counts;
  if (digest.overdue_unlisted > 0) counts += "逾期" + std::to_string(digest.overdue_unlisted) + "项";
  if (digest.due_soon_unlisted > 0)
    counts += (counts.empty() ? "" : "、") + ("即将到期" + std::to_string(digest.due_soon_unlisted) + "项");
  if (counts.empty()) return "";
  std::string note = "另有" + counts + "未列出";
  if (!digest.unlisted_by_unit.empty()) {
    std::string units;
    for (const auto& [unit, count] : digest.unlisted_by_unit)
      units += (units.empty() ? "" : "、") + (Name(unit).empty() ? std::string("未指定单位") : Name(unit)) +
               std::to_string(count) + "项";
    note += "（" + units + "）";
  }
  note += FullListNote(digest, markup);
  return note;
}

}  // namespace

std::string DigestHeadline(const Digest& digest) {
  std::string counts;
  if (OverdueCount(digest) > 0) counts += "逾期 " + Count(OverdueCount(digest)) + " 项";
  if (DueSoonCount(digest) > 0) {
    if (!counts.empty()) counts += "，";
    counts += "即将到期 " + Count(DueSoonCount(digest)) + " 项";
  }
  if (counts.empty()) counts = "无逾期或即将到期事项";
  const std::size_t campaigns = CampaignsOf(digest).size();
  const std::string campaign =
      campaigns > 1 ? "【" + Count(campaigns) + "项行动】" : "【" + Name(digest.campaign_name) + "】";
  if (digest.audience == Digest::Audience::kSupervisors) {
    if (OverdueCount(digest) + DueSoonCount(digest) > 0) counts += "，涉及 " + Count(UnitsOnList(digest)) + " 个单位";
    return campaign + "督办：" + counts;
  }
  return campaign + Name(digest.unit_name) + "：" + counts;
}

std::string FormatDeadline(Instant deadline, Instant as_of) {
  const bool same_year = ShanghaiDate(deadline - 1).year == ShanghaiDate(as_of).year;
  return MonthDayTime(deadline, !same_year);
}

MessageLayout DigestLayout(const Digest& digest, Markup markup) {
  MessageLayout layout;
  const std::string headline = DigestHeadline(digest);
  layout.headline = markup == Markup::kMarkdown ? std::string(kMarkdownHeading) + headline : headline;
  layout.preamble = "截至" + MonthDayTime(digest.as_of, false);
  if (digest.audience == Digest::Audience::kSupervisors) {
    layout.preamble = "致" + Name(digest.unit_name) + "：以下事项请督促责任单位限期整改。" +
                      (markup == Markup::kMarkdown ? "  \n" : "\n") + layout.preamble;
    AddSupervisorSections(digest, markup, layout);
  } else {
    if (!digest.undeliverable_units.empty()) {
      std::string names;
      for (const std::string& name : digest.undeliverable_units) names += (names.empty() ? "" : "、") + Name(name);
      layout.preamble += (markup == Markup::kMarkdown ? "  \n" : "\n") + ("未配置消息渠道：" + names);
    }
    AddUnitSections(digest, markup, layout);
  }
  const std::string unlisted = UnlistedNote(digest, markup);
  if (!unlisted.empty()) layout.preamble += (markup == Markup::kMarkdown ? "  \n" : "\n") + unlisted;
  return layout;
}

std::vector<std::string> RenderDigest(const Digest& digest, Markup markup, const PackLimits& limits) {
  return PackMessages(DigestLayout(digest, markup), limits);
}

std::string MessageTitle(const std::string& message) {
  std::string line = message.substr(0, message.find('\n'));
  if (line.compare(0, kMarkdownHeading.size(), kMarkdownHeading) == 0) line.erase(0, kMarkdownHeading.size());
  return line;
}

}  // namespace rectify::notifier
