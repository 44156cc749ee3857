// Granting and reading approved extensions (延期, engine/silences.h): both need the campaign's
// manage_silences grant. An extension ends after now, in a year the calendar covers, and no
// later than the campaign's end (engine/date_rules.h CheckSilenceUntil): a longer one is a new
// deadline, not a silence. Thread-safe if the store is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/campaign.h"
#include "engine/permissions.h"
#include "engine/item_store.h"
#include "engine/silences.h"
#include "engine/status.h"

namespace rectify {

// What the office gives to grant an extension.
struct NewSilence {
  std::int64_t item_id = 0;
  std::string approved_by;  // who approved it (a name or an office, as the paper says)
  std::string reason;
  Instant until = 0;
};

class SilenceService {
 public:
  // Both must outlive the service.
  // `items` is the campaign's own view (engine/campaign_item_store.h): a silence is for one of
  // its items, and the campaign lists only those.
  SilenceService(const Campaign& campaign, SilenceStore& store, ItemStore& items)
      : campaign_(campaign), store_(store), items_(items) {}

  // kPermissionDenied without manage_silences; kInvalidArgument naming "until", "reason" or
  // "approved_by"; kNotFound for an unknown item.
  Result<Silence> Add(const NewSilence& input, const Actor& actor, Instant now);
  // The silences in force at `as_of`, the soonest to end first.
  Result<std::vector<Silence>> Active(Instant as_of, const Actor& actor);
  // Ends silence `id` now: the item's reminders resume with the next pass. kPermissionDenied
  // without manage_silences; kNotFound unless it is in force and of one of the campaign's items.
  Result<Silence> End(std::int64_t id, const Actor& actor, Instant now);

 private:
  Status Require(const Actor& actor) const;

  const Campaign& campaign_;
  SilenceStore& store_;
  ItemStore& items_;
};

}  // namespace rectify
