#include "app/config_audit.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/attachments.h"
#include "engine/audit.h"

namespace rectify::app {
namespace {

constexpr char kFingerprintKey[] = "config_fingerprint";
// Each lost race means another start recorded its files meanwhile; a handful of those at once is
// already more instances starting together than a deployment runs.
constexpr int kRecordAttempts = 16;

// The regular files `paths` name, a folder standing for the files in it (name order), by their
// canonical names (./wf/x.json and wf/x.json, or a path through a symlink, are one file, and
// starting from another directory is no change of the configuration), each once.
std::vector<std::string> FilesOf(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  auto add = [&](const std::filesystem::path& path) {
    std::error_code ignored;
    const std::filesystem::path canonical = std::filesystem::weakly_canonical(path, ignored);
    const std::string named = ignored ? path.string() : canonical.string();
    if (seen.insert(named).second) files.push_back(named);
  };
  for (const std::string& path : paths) {
    if (path.empty()) continue;
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
      add(path);
      continue;
    }
    std::vector<std::filesystem::path> inside;
    for (std::filesystem::directory_iterator it(path, error), end; !error && it != end; it.increment(error))
      if (it->is_regular_file()) inside.push_back(it->path());
    std::sort(inside.begin(), inside.end());
    for (const auto& file : inside) add(file);
  }
  return files;
}

}  // namespace

Result<bool> RecordConfiguration(ItemStore& store, const std::vector<std::string>& paths) {
  std::string fingerprint;
  for (const std::string& path : FilesOf(paths)) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound(path + ": cannot read: " + std::strerror(errno));
    std::ostringstream bytes;
    bytes << in.rdbuf();
    fingerprint += (fingerprint.empty() ? "" : "; ") + path + " sha256 " + ContentHash(bytes.str());
  }
  // Instances starting together read the same fingerprint; the one whose conditional write lands
  // records the change, and the others read again: the same fingerprint now (nothing to record),
  // or another file's, whose change is then recorded after the first.
  for (int attempt = 0; attempt < kRecordAttempts; ++attempt) {
    auto previous = store.GetMeta(kFingerprintKey);
    if (!previous.ok()) return previous.status();
    if (*previous == fingerprint) return false;
    const std::string detail = fingerprint + (*previous ? " (was: " + **previous + ")" : " (first start)");
    auto written = store.PutMetaIf(kFingerprintKey, *previous, fingerprint,
                                   MakeAuditRecord(kAuditActorSystem, kAuditConfigChange, "configuration", detail));
    if (!written.ok()) return written.status();
    if (*written) return true;
  }
  return Status::Aborted("the configuration fingerprint kept changing while being recorded");
}

}  // namespace rectify::app
