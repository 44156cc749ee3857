#include "engine/audit_service.h"

namespace rectify {

Result<std::vector<AuditRecord>> AuditService::Read(const AuditQuery& query, const Actor& actor) {
  if (!campaign_.permissions.MayDo("export_audit", actor))
    return Status::PermissionDenied(actor.name + " may not export_audit here");
  RECTIFY_RETURN_IF_ERROR(log_.AppendAudit(MakeAuditRecord(
      actor.name, kAuditExport, "audit log",
      "from " + FormatInstant(query.from) + " to " + FormatInstant(query.to) + " after seq " +
          std::to_string(query.after_seq))));
  return log_.AuditRange(query.from, query.to, query.after_seq, query.limit);
}

Status AuditService::RecordExport(const Actor& actor, const std::string& subject, const std::string& detail) {
  return log_.AppendAudit(MakeAuditRecord(actor.name, "export", subject, detail));
}

}  // namespace rectify
