#include "engine/audit_service.h"

namespace rectify {

std::string CampaignDetail(const Campaign& campaign, const std::string& detail) {
  return "campaign " + campaign.id + ": " + detail;
}

bool IsCampaignDetail(const Campaign& campaign, const std::string& detail) {
  const std::string lead = "campaign " + campaign.id + ": ";
  return detail.compare(0, lead.size(), lead) == 0;
}

Result<std::vector<AuditRecord>> AuditService::Read(const AuditQuery& query, const Actor& actor) {
  if (!campaign_.permissions.MayDo("export_audit", actor))
    return Status::PermissionDenied(actor.name + " may not export_audit here");
  RECTIFY_RETURN_IF_ERROR(log_.AppendAudit(MakeAuditRecord(
      actor.name, kAuditExport, "audit log",
      "from " + FormatInstant(query.from) + " to " + FormatInstant(query.to) + " after seq " +
          std::to_string(query.after_seq))));
  if (!scope_) return log_.AuditRange(query.from, query.to, query.after_seq, query.limit);
  // Pages of the log are read on until the reader's share fills the limit: the last record
  // returned is still where the next page starts.
  std::vector<AuditRecord> out;
  std::int64_t after = query.after_seq;
  for (;;) {
    auto page = log_.AuditRange(query.from, query.to, after, query.limit);
    if (!page.ok()) return page.status();
    for (AuditRecord& record : *page)
      if (static_cast<int>(out.size()) < query.limit && scope_(record, actor)) out.push_back(std::move(record));
    if (static_cast<int>(page->size()) < query.limit || static_cast<int>(out.size()) >= query.limit) return out;
    after = page->back().seq;
  }
}

Status AuditService::RecordExport(const Actor& actor, const std::string& subject, const std::string& detail) {
  return log_.AppendAudit(MakeAuditRecord(actor.name, "export", subject, CampaignDetail(campaign_, detail)));
}

}  // namespace rectify
