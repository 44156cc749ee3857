// The name a store claims outbox messages and notifier slots under (notifier/outbox.h): unique
// to the store among every instance on the database, and telling an operator which instance
// holds a claim (claimed_by): "<host>:<pid>:<n>", n counting the stores this process opened.
#pragma once

#include <string>

namespace rectify {

std::string NewClaimant();

}  // namespace rectify
