// Sample items for `rectify demo`, read from a file in workflows/demo/: each sample is an API
// create body plus "created_at" and the "events" that move it, each an API event body plus
// "at". Samples go through the same service calls as real requests, so the demo database is
// exactly what those requests would have made.
#pragma once

#include <iosfwd>
#include <string>

#include "accounts/account_service.h"
#include "engine/item_service.h"

namespace rectify::app {

// Creates the file's demo users, each with a generated password printed to `out`, then creates
// and moves every sample; stops at the first failure, naming the user or sample.
// Users are of `town` unless their entry says "county": true (a county-level leader or supervisor).
Status SeedSamples(ItemService& service, accounts::AccountService& accounts, const std::string& samples_path,
                   const std::string& town, Instant now, std::ostream& out);

}  // namespace rectify::app
