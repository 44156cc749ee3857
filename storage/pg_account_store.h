// accounts::AccountStore (accounts/account.h) on a PgDatabase: the users and sessions tables of
// schema version 1 (pg_migrations.cc), each write audited in its own transaction, and the login
// throttle's memory (storage/login_memory.h), shared by every instance. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account.h"
#include "storage/pg_database.h"

namespace rectify {

class PgAccountStore final : public accounts::AccountStore {
 public:
  // `database` must outlive the store.
  explicit PgAccountStore(PgDatabase& database) : database_(database) {}

  Result<accounts::User> AddUser(accounts::User user, const AuditRecord& audit) override;
  Result<accounts::User> FindUserByName(const std::string& username) override;
  Result<accounts::User> GetUser(std::int64_t id) override;
  Result<std::vector<accounts::User>> ListUsers() override;
  Status UpdateUser(const accounts::User& user, const std::optional<accounts::SessionRevocation>& revoke,
                    const AuditRecord& audit) override;
  Result<accounts::Session> AddSession(accounts::Session session, const AuditRecord& audit) override;
  Result<accounts::SessionOfUser> FindSession(const std::string& token_hash) override;
  Status TouchSession(const std::string& token_hash, Instant at) override;
  Status RevokeSession(const std::string& token_hash, Instant at, const AuditRecord& audit) override;
  Result<std::vector<accounts::Session>> ListTokens(std::int64_t user_id) override;
  Result<int> PurgeSessions(Instant now, const AuditRecord& audit) override;
  // kInvalidArgument (field "action") when the action is empty.
  Status AppendAudit(const AuditRecord& record) override;

  // The login throttle's memory: storage/login_memory.h.
  Result<std::vector<accounts::LoginCounter>> ReadLoginCounters(const std::vector<std::string>& keys,
                                                                Instant since) override;
  Result<std::vector<accounts::LoginCounter>> AddLoginFailure(const std::vector<std::string>& keys, Instant at,
                                                              Instant since) override;
  Status ResetLoginCounter(const std::string& key, Instant held_until) override;
  Result<bool> TakeLoginCheck(const std::string& key, Instant now, Instant next) override;
  Status AddFamiliarAddress(const std::string& username, const std::string& address, Instant at,
                            int keep) override;
  Result<bool> IsFamiliarAddress(const std::string& username, const std::string& address) override;

 private:
  PgDatabase& database_;
};

}  // namespace rectify
