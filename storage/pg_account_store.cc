#include "storage/pg_account_store.h"

// Not written yet: each method fails until its PostgreSQL version lands.

namespace rectify {
Result<accounts::User> PgAccountStore::AddUser(accounts::User, const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::AddUser is not written yet"); }
Result<accounts::User> PgAccountStore::FindUserByName(const std::string&) { return Status::Internal("postgresql: PgAccountStore::FindUserByName is not written yet"); }
Result<accounts::User> PgAccountStore::GetUser(std::int64_t) { return Status::Internal("postgresql: PgAccountStore::GetUser is not written yet"); }
Result<std::vector<accounts::User>> PgAccountStore::ListUsers() { return Status::Internal("postgresql: PgAccountStore::ListUsers is not written yet"); }
Status PgAccountStore::UpdateUser(const accounts::User&, const std::optional<accounts::SessionRevocation>&, const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::UpdateUser is not written yet"); }
Result<accounts::Session> PgAccountStore::AddSession(accounts::Session, const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::AddSession is not written yet"); }
Result<accounts::Session> PgAccountStore::FindSession(const std::string&) { return Status::Internal("postgresql: PgAccountStore::FindSession is not written yet"); }
Status PgAccountStore::RevokeSession(const std::string&, Instant, const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::RevokeSession is not written yet"); }
Result<std::vector<accounts::Session>> PgAccountStore::ListTokens(std::int64_t) { return Status::Internal("postgresql: PgAccountStore::ListTokens is not written yet"); }
Result<int> PgAccountStore::PurgeSessions(Instant, const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::PurgeSessions is not written yet"); }
Status PgAccountStore::AppendAudit(const AuditRecord&) { return Status::Internal("postgresql: PgAccountStore::AppendAudit is not written yet"); }

}  // namespace rectify
