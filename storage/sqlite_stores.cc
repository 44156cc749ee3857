#include "storage/sqlite_stores.h"

#include <utility>

namespace rectify {

Result<std::unique_ptr<SqliteStores>> SqliteStores::Open(const std::string& path, std::shared_ptr<const Clock> clock) {
  auto database = SqliteDatabase::Open(path, std::move(clock));
  if (!database.ok()) return database.status();
  return std::unique_ptr<SqliteStores>(new SqliteStores(std::move(database).value()));
}

Result<std::unique_ptr<Stores>> OpenStores(const std::string& where, std::shared_ptr<const Clock> clock) {
  auto stores = SqliteStores::Open(where, std::move(clock));
  if (!stores.ok()) return stores.status();
  return std::unique_ptr<Stores>(std::move(stores).value());
}

}  // namespace rectify
