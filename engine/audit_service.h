// Reading the audit log as people do (export_audit), and recording what changes nothing else
// but must be on record: an export of a form, a read of the log itself. A read is recorded
// before the records are returned, so no read goes unrecorded. Thread-safe if the log is.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/audit_log.h"
#include "engine/campaign.h"
#include "engine/permissions.h"
#include "engine/status.h"

namespace rectify {

// Records with from <= at < to, after seq `after_seq`, at most `limit` (AuditLog::AuditRange).
struct AuditQuery {
  Instant from = 0;
  Instant to = 0;
  std::int64_t after_seq = 0;
  int limit = 200;
};

// Whether `reader` may read `record`: the log is one chain for the whole deployment, and in a
// deployment of several towns a town's people read only what concerns their town (app/services.h
// decides what that is). Unset: every record.
using AuditScope = std::function<bool(const AuditRecord& record, const Actor& reader)>;

// The detail of a read recorded for a campaign (an export, a sheet's photo), led by the campaign
// ("campaign gaoqiao-2021-autumn: …"): its subject ("roster", "visits village_1") names no item,
// and the town's share of the audit log (app/town_audit_scope.h) must show who read its data,
// a county's people included.
std::string CampaignDetail(const Campaign& campaign, const std::string& detail);
bool IsCampaignDetail(const Campaign& campaign, const std::string& detail);

class AuditService {
 public:
  // Both must outlive the service.
  AuditService(const Campaign& campaign, AuditLog& log, AuditScope scope = {})
      : campaign_(campaign), log_(log), scope_(std::move(scope)) {}

  // kPermissionDenied without export_audit; otherwise the read is recorded ("audit.export"),
  // then the records in the reader's scope are read, up to query.limit of them.
  Result<std::vector<AuditRecord>> Read(const AuditQuery& query, const Actor& actor);

  // An export of a form or list ("export"), recorded before its bytes go out: the caller sends
  // nothing unless this is Ok.
  Status RecordExport(const Actor& actor, const std::string& subject, const std::string& detail);

 private:
  const Campaign& campaign_;
  AuditLog& log_;
  const AuditScope scope_;
};

}  // namespace rectify
