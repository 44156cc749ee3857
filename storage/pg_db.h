// Small owning wrappers over libpq, PostgreSQL's own C client, for the PostgreSQL adapters:
// a connection (Conn) that keeps its prepared statements, a statement in use (Query) with
// typed binds and columns, and a Transaction that rolls back unless committed. They mirror
// sqlite_db.h on purpose, so that an adapter on either database reads the same; every failure
// is a Status::Internal carrying PostgreSQL's message (and SQLSTATE); nothing here throws.
//
// SQL is written with `?` placeholders, as for SQLite; Prepare numbers them $1, $2, ... (a `?`
// inside a quoted literal is left alone). Values travel as text, so columns are read back with
// Int/Text as in SQLite. A query's rows are fetched whole on its first Step: callers that read
// much page by key (as every list of rectify does).
//
// A Conn, and every Query or Transaction taken from it, belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/status.h"

struct pg_conn;
struct pg_result;

namespace rectify::pg {

struct ResultCloser {
  void operator()(pg_result* result) const;
};
using ResultPtr = std::unique_ptr<pg_result, ResultCloser>;

class Conn;

// One use of a prepared statement: bind, then Step through the rows (or Run).
class Query {
 public:
  Query(Conn* conn, std::string name, int parameter_count, Status error)
      : conn_(conn), name_(std::move(name)), values_(static_cast<std::size_t>(parameter_count)),
        error_(std::move(error)) {}
  Query(Query&&) noexcept = default;
  Query& operator=(Query&&) = delete;
  Query(const Query&) = delete;

  // Parameters count from 1, as in SQLite.
  Query& Bind(int index, std::int64_t value);
  Query& Bind(int index, std::string_view value);
  Query& Bind(int index, const std::optional<std::int64_t>& value);  // NULL when unset
  Query& Bind(int index, const std::optional<std::string>& value);   // NULL when unset
  // Exact matches, so that text never reads as an optional.
  Query& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Query& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Query& BindNull(int index);
  template <class... Args>
  Query& BindAll(const Args&... args) {
    int index = 0;
    (Bind(++index, args), ...);
    return *this;
  }

  // Advances one row: true when a row is ready to read, false when the rows are done. The
  // first call runs the statement.
  Result<bool> Step();
  // Runs the statement, for statements whose rows (if any) do not matter.
  Status Run();
  // Rows the statement changed (INSERT, UPDATE, DELETE), once it has run.
  std::int64_t Changes() const { return changes_; }

  // Columns of the current row, counted from 0.
  bool IsNull(int column) const;
  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  Status Execute();
  void Fail(std::string message);

  Conn* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  Status error_;
  ResultPtr result_;
  int row_ = -1;
  int rows_ = 0;
  std::int64_t changes_ = 0;
};

// One connection to a database.
class Conn {
 public:
  // Connects to `url` (postgresql://…, or any libpq connection string).
  static Result<Conn> Open(const std::string& url);

  Conn(Conn&&) noexcept = default;
  Conn& operator=(Conn&&) noexcept = default;
  ~Conn();

  // Runs SQL text without parameters, possibly several statements: schema and locks only.
  Status Exec(const std::string& sql);
  // The statement for `sql` (with `?` placeholders), prepared on first use and kept for the
  // life of the connection. `sql` must be built from fixed text only; values are always bound.
  Query Prepare(const std::string& sql);
  // False once the server has gone away: a pool drops such a connection.
  bool Healthy() const;
  bool InTransaction() const;
  // Healthy, and, while idle, not closed by the server since its last use: an idle connection
  // has nothing to read unless the server ended it (a restart, pg_terminate_backend), which
  // libpq learns only at the next statement. Checked before an idle one is reused, so that the
  // first request after PostgreSQL came back is not answered 503 on a connection from before.
  bool StillOpen();

  pg_conn* raw() { return conn_.get(); }

 private:
  struct Closer {
    void operator()(pg_conn* conn) const;
  };
  explicit Conn(pg_conn* conn) : conn_(conn) {}

  std::unique_ptr<pg_conn, Closer> conn_;
  std::unordered_map<std::string, std::pair<std::string, int>> statements_;  // sql -> (name, parameters)
};

// `sql` with its `?` placeholders numbered $1, $2, ..., and how many there were.
std::pair<std::string, int> NumberPlaceholders(std::string_view sql);

// kInternal carrying PostgreSQL's message and SQLSTATE for a failed `result` (or the
// connection's message when there is no result).
Status PgError(pg_conn* conn, const pg_result* result, std::string_view what);

// The SQLSTATE of a Status made by PgError ("40001", "23505", ...), or "" for any other.
std::string SqlState(const Status& status);

// A transaction on one Conn, rolled back on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> Begin(Conn& conn);
  Transaction(Transaction&& other) noexcept : conn_(std::exchange(other.conn_, nullptr)) {}
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status Commit();

 private:
  explicit Transaction(Conn* conn) : conn_(conn) {}
  Conn* conn_;
};

// Rows streamed into one table by `COPY table (columns) FROM STDIN` (text format), for bulk
// copies where a round trip per INSERT would be most of the time. Values travel as text, as
// Query binds them (PostgreSQL reads each with its column's input function); std::nullopt is
// NULL. Rows are sent in chunks as they come; End() finishes the copy. A CopyIn dropped before
// End() succeeded aborts the copy, which fails the transaction it is in. Between Begin and End
// the connection serves nothing else.
class CopyIn {
 public:
  static Result<CopyIn> Begin(Conn& conn, const std::string& table, const std::vector<std::string>& columns);
  CopyIn(CopyIn&& other) noexcept
      : conn_(std::exchange(other.conn_, nullptr)), width_(other.width_), buffer_(std::move(other.buffer_)) {}
  CopyIn& operator=(CopyIn&&) = delete;
  CopyIn(const CopyIn&) = delete;
  ~CopyIn();

  // One row: a value for each column named at Begin, in that order.
  Status Row(const std::vector<std::optional<std::string>>& values);
  // Sends the rest and ends the copy; the rows PostgreSQL took.
  Result<std::int64_t> End();

 private:
  CopyIn(Conn* conn, std::size_t width) : conn_(conn), width_(width) {}
  Status Send();

  Conn* conn_;  // null once ended
  std::size_t width_;
  std::string buffer_;
};

}  // namespace rectify::pg
