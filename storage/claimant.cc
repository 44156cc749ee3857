#include "storage/claimant.h"

#include <unistd.h>

#include <atomic>
#include <climits>

namespace rectify {

std::string NewClaimant() {
  static std::atomic<int> opened{0};
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + std::to_string(++opened);
}

}  // namespace rectify
