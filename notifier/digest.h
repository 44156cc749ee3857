// What a unit is told: one digest per responsible unit and schedule slot, listing its overdue
// and soon-due open items; and, for the supervisors (镇纪委, the office), the 督办 list of items
// overdue beyond the escalation threshold. Built by the scan, rendered per channel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/time.h"

namespace rectify::notifier {

struct DigestItem {
  std::string campaign_name;  // the campaign it belongs to: a digest may span several
  std::int64_t id = 0;     // 0 for a ledger
  std::string kind;        // "problem", "enrollment" or "ledger" (a unit's 附件1 hand-in)
  std::string title;
  std::string area_name;   // "义务教育"; for enrollments the household's village name; "" for a ledger
  std::string unit_name;   // the responsible unit
  // Whom the supervisors' 督办 list holds to account for it, the heading it is listed under: the
  // responsible unit, or the office for an item that waits for the office to close it (待销号):
  // a village whose fix was verified in time is not the one to press.
  std::string answerable_name;
  Instant deadline = 0;
  // What the deadline is: 整改时限 (a problem's own), 纳入时限 (an enrollment's), 本环节时限 (the
  // limit of the step it is in: assigning, signing for, a procedure step), 报送时限, 完成时限 or
  // 阶段截止 (a ledger's, a survey's, a phase's).
  std::string deadline_label = "整改时限";
  bool overdue = false;             // false: due soon
  int working_days_overdue = 0;     // overdue items: whole working days past the deadline
  int working_days_left = 0;        // due-soon items: working days until the deadline
  // Not yet overdue but unable to finish in time (engine/feasibility.h): since that day.
  std::optional<CivilDate> cannot_finish_since;
  std::string link;                 // absolute URL of the item in the web front end / API
  std::string tier_name;            // its warning tier (红黄蓝预警), "" for none
  bool awaits_sign_for = false;     // the unit has not yet signed for it (待签收)
  // Where it stands and what is asked of the recipient: "待交办", "待销号", "退回重办：<reason>",
  // else its state's label ("整改中", "待验收").
  std::string ask;
  bool awaits_close = false;  // the office is asked to close it (待销号): rendered in a section of its own
  // The 督办 notes the supervisors wrote on it since the previous slot ("" for none).
  std::string supervision;
};

// Where a campaign's lines can all be seen: its page in the web front end.
struct CampaignLink {
  std::string campaign_name;
  std::string link;
  bool operator==(const CampaignLink& other) const {
    return campaign_name == other.campaign_name && link == other.link;
  }
};

struct Digest {
  enum class Audience { kUnit, kSupervisors };
  Audience audience = Audience::kUnit;
  std::string unit_id;     // the unit addressed (for kSupervisors: the supervising unit)
  std::string unit_name;
  std::string campaign_name;  // its one campaign; empty when its lines span several
  Instant as_of = 0;
  std::vector<DigestItem> overdue;   // most overdue first
  // Soonest first, after those that can no longer finish in time; these include items due
  // later than the due-soon window.
  std::vector<DigestItem> due_soon;
  // The office's digest only: the units that had something to report this slot but no channel
  // to receive it (未配置消息渠道), by name.
  std::vector<std::string> undeliverable_units;
  // The lines left out of the lists above, counted (a list shows its first kMostLinesPerList
  // lines, notifier/scan_stages.h: a unit of a county's campaign may have thousands, and no one
  // reads them in a phone message); `full_lists` is where every one can be seen: the page of each
  // campaign that left lines out (the web front end shows one campaign at a time).
  int overdue_unlisted = 0;
  int due_soon_unlisted = 0;
  std::map<std::string, int> unlisted_by_unit;  // the supervisors' list: by responsible unit's name
  std::vector<CampaignLink> full_lists;         // empty when nothing is left out
};

// How many lines the digest stands for, listed or not.
std::size_t OverdueCount(const Digest& digest);
std::size_t DueSoonCount(const Digest& digest);

// Adds `from` (another campaign's digest for the same recipient and slot) to `into`: its lines
// keep their campaign, each list stays in order within a campaign, and a digest spanning several
// campaigns names none. An empty `into` becomes `from`.
void MergeDigest(Digest& into, Digest from);

// The campaigns of the digest's lines, in the order they first appear.
std::vector<std::string> CampaignsOf(const Digest& digest);

}  // namespace rectify::notifier
