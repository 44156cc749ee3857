// Small owning wrappers over SQLite's C API for the storage layer: a connection (Db) that
// keeps its prepared statements, a borrowed statement (Query) with typed binds and columns, and
// a Transaction that rolls back unless committed. Every failure is a Status::Internal carrying
// SQLite's message; nothing here throws.
//
// A Db, and every Query or Transaction taken from it, belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "engine/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rectify::sqlite {

// One use of a prepared statement. Binding or preparing errors are kept and returned by the
// next Step()/Run(), so a caller checks once. On destruction the statement is reset and its
// parameters cleared: a finished or abandoned Query never holds a read snapshot open.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt, Status error) : db_(db), stmt_(stmt), error_(std::move(error)) {}
  Query(Query&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), error_(std::move(other.error_)) {}
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;
  ~Query();

  // Parameters count from 1, as in SQLite.
  Query& Bind(int index, std::int64_t value);
  Query& Bind(int index, std::string_view value);
  Query& Bind(int index, const std::optional<std::int64_t>& value);  // NULL when unset
  Query& Bind(int index, const std::optional<std::string>& value);   // NULL when unset
  // Exact matches, so that text never reads as an optional.
  Query& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Query& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Query& BindNull(int index);
  // Binds parameters 1..n from the arguments in order.
  template <class... Args>
  Query& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances one row: true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // Steps to the end, for statements whose rows (if any) do not matter.
  Status Run();

  // Columns of the current row, counted from 0.
  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  void Fail(int code);  // keeps the first error only

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status error_;
};

// One connection to a database file, with the statements prepared on it.
class Db {
 public:
  // Opens `path` read-write, creating the file if needed. A file the process may not write
  // opens read-only (see ReadOnly()), as SQLite does.
  // kReadOnly opens the file for reading; kImmutable also tells SQLite nobody changes it (no
  // locks, no shared memory: a WAL database in a folder this process may not write).
  enum class Mode { kReadWrite, kReadOnly, kImmutable };
  static Result<Db> Open(const std::string& path, Mode mode = Mode::kReadWrite);

  Db(Db&&) noexcept = default;
  Db& operator=(Db&&) noexcept = default;
  ~Db();

  // Runs SQL text without parameters, possibly several statements: schema and pragmas only.
  Status Exec(const std::string& sql);
  // The statement for `sql`, prepared on first use and kept for the life of the connection.
  // `sql` must be built from fixed text only; values are always bound.
  Query Prepare(const std::string& sql);

  void SetBusyTimeout(int milliseconds);
  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  std::int64_t Changes() const;
  std::int64_t LastInsertId() const;
  bool ReadOnly() const;
  bool InTransaction() const;

 private:
  struct Closer {
    void operator()(sqlite3* db) const;
  };
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const;
  };

  explicit Db(sqlite3* db) : db_(db) {}

  // Declared before the cache so that it is destroyed after it: statements first.
  std::unique_ptr<sqlite3, Closer> db_;
  std::unordered_map<std::string, std::unique_ptr<sqlite3_stmt, Finalizer>> statements_;
};

// A transaction on one Db, rolled back on destruction unless Commit() succeeded.
class Transaction {
 public:
  enum class Mode {
    kRead,   // BEGIN: one consistent snapshot for several statements
    kWrite,  // BEGIN IMMEDIATE: takes the write lock at once, so writers queue (busy timeout)
             // instead of failing when a read transaction tries to upgrade
  };

  static Result<Transaction> Begin(Db& db, Mode mode);

  Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  // On failure nothing was written: the transaction is rolled back when this object goes away.
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}

  Db* db_;  // null once committed or moved from
};

}  // namespace rectify::sqlite
