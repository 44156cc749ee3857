// What every contract suite includes: the backends it runs over (backends.h) and the test
// vocabulary it shares with the SQLite-only tests (store_test_items.h).
#pragma once

#include <catch2/catch.hpp>

#include "storage/stores.h"
#include "tests/storage/contract/backends.h"
#include "tests/storage/store_test_items.h"
