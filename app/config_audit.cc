#include "app/config_audit.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/attachments.h"
#include "engine/audit.h"

namespace rectify::app {
namespace {

constexpr char kFingerprintKey[] = "config_fingerprint";

}  // namespace

Result<bool> RecordConfiguration(ItemStore& store, AuditLog& audit, const std::vector<std::string>& paths) {
  std::string fingerprint;
  for (const std::string& path : paths) {
    if (path.empty()) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": cannot read: " + std::strerror(errno));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    fingerprint += (fingerprint.empty() ? "" : "; ") + path + " sha256 " + ContentHash(bytes.str());
  }
  auto previous = store.GetMeta(kFingerprintKey);
  if (!previous.ok()) return previous.status();
  if (*previous == fingerprint) return false;
  const std::string detail = fingerprint + (*previous ? " (was: " + **previous + ")" : " (first start)");
  RECTIFY_RETURN_IF_ERROR(audit.AppendAudit(MakeAuditRecord("system", kAuditConfigChange, "configuration", detail)));
  RECTIFY_RETURN_IF_ERROR(store.PutMeta(kFingerprintKey, fingerprint));
  return true;
}

}  // namespace rectify::app
