#include "storage/pg_db.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cstdlib>

namespace rectify::pg {
namespace {

constexpr std::string_view kStateTag = " [SQLSTATE ";

std::string TrimmedMessage(const char* text) {
  std::string message = text != nullptr ? text : "";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

}  // namespace

void ResultCloser::operator()(pg_result* result) const { PQclear(result); }
void Conn::Closer::operator()(pg_conn* conn) const { PQfinish(conn); }

Status PgError(pg_conn* conn, const pg_result* result, std::string_view what) {
  std::string message = "postgresql: ";
  message += what;
  message += ": ";
  if (result != nullptr) {
    message += TrimmedMessage(PQresultErrorMessage(result));
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (state != nullptr) {
      message += kStateTag;
      message += state;
      message += "]";
    }
  } else {
    message += TrimmedMessage(PQerrorMessage(conn));
  }
  // The database out of reach (down, restarting, the connection lost: SQLSTATE class 08 and
  // 57P01-57P03) is 503 "try again", not a bug: the pool reconnects on the next request.
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view code = state != nullptr ? std::string_view(state) : std::string_view();
  const bool unreachable = (conn != nullptr && PQstatus(conn) == CONNECTION_BAD) || code.substr(0, 2) == "08" ||
                           code == "57P01" || code == "57P02" || code == "57P03";
  return unreachable ? Status::Unavailable(std::move(message)) : Status::Internal(std::move(message));
}

std::string SqlState(const Status& status) {
  const std::string& message = status.message();
  const std::size_t at = message.rfind(kStateTag);
  if (at == std::string::npos || message.size() < at + kStateTag.size() + 6) return "";
  return message.substr(at + kStateTag.size(), 5);
}

std::pair<std::string, int> NumberPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int count = 0;
  char quote = 0;  // the quote character of the literal or identifier we are in, if any
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++count);
    } else {
      out += c;
    }
  }
  return {std::move(out), count};
}

// --- Query -------------------------------------------------------------------------------

void Query::Fail(std::string message) {
  if (error_.ok()) error_ = Status::Internal(std::move(message));
}

Query& Query::Bind(int index, std::int64_t value) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    Fail("postgresql: parameter " + std::to_string(index) + " out of range for " + name_);
    return *this;
  }
  values_[static_cast<std::size_t>(index - 1)] = std::to_string(value);
  return *this;
}

Query& Query::Bind(int index, std::string_view value) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    Fail("postgresql: parameter " + std::to_string(index) + " out of range for " + name_);
    return *this;
  }
  // PostgreSQL's text cannot hold NUL; SQLite's can. Refused here with a clear message rather
  // than silently cut at the NUL by libpq.
  if (value.find('\0') != std::string_view::npos) {
    Fail("postgresql: a text value holds a NUL character");
    return *this;
  }
  values_[static_cast<std::size_t>(index - 1)] = std::string(value);
  return *this;
}

Query& Query::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Query& Query::Bind(int index, const std::optional<std::string>& value) {
  return value ? Bind(index, std::string_view(*value)) : BindNull(index);
}

Query& Query::BindNull(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    Fail("postgresql: parameter " + std::to_string(index) + " out of range for " + name_);
    return *this;
  }
  values_[static_cast<std::size_t>(index - 1)].reset();
  return *this;
}

Status Query::Execute() {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const std::optional<std::string>& value : values_) pointers.push_back(value ? value->c_str() : nullptr);
  result_.reset(PQexecPrepared(conn_->raw(), name_.c_str(), static_cast<int>(pointers.size()), pointers.data(),
                               nullptr, nullptr, 0));
  const ExecStatusType status = result_ != nullptr ? PQresultStatus(result_.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return PgError(conn_->raw(), result_.get(), name_);
  }
  rows_ = PQntuples(result_.get());
  const char* changed = PQcmdTuples(result_.get());
  changes_ = changed != nullptr && *changed != '\0' ? std::strtoll(changed, nullptr, 10) : 0;
  return Status::Ok();
}

Result<bool> Query::Step() {
  if (!error_.ok()) return error_;
  if (result_ == nullptr) {
    error_ = Execute();
    if (!error_.ok()) return error_;
  }
  ++row_;
  return row_ < rows_;
}

Status Query::Run() {
  if (!error_.ok()) return error_;
  if (result_ == nullptr) error_ = Execute();
  return error_;
}

bool Query::IsNull(int column) const { return PQgetisnull(result_.get(), row_, column) != 0; }

std::int64_t Query::Int(int column) const {
  if (IsNull(column)) return 0;  // as sqlite3_column_int64 reads NULL
  return std::strtoll(PQgetvalue(result_.get(), row_, column), nullptr, 10);
}

std::string Query::Text(int column) const {
  return std::string(PQgetvalue(result_.get(), row_, column),
                     static_cast<std::size_t>(PQgetlength(result_.get(), row_, column)));
}

std::optional<std::int64_t> Query::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

// --- Conn --------------------------------------------------------------------------------

Result<Conn> Conn::Open(const std::string& url) {
  Conn conn(PQconnectdb(url.c_str()));
  if (conn.conn_ == nullptr) return Status::Internal("postgresql: out of memory connecting");
  if (PQstatus(conn.raw()) != CONNECTION_OK) return PgError(conn.raw(), nullptr, "connect");
  // Notices (e.g. "relation already exists, skipping") are not errors; keep them off stderr.
  PQsetNoticeProcessor(conn.raw(), [](void*, const char*) {}, nullptr);
  RECTIFY_RETURN_IF_ERROR(conn.Exec("SET client_encoding = 'UTF8'"));
  return conn;
}

Conn::~Conn() = default;

Status Conn::Exec(const std::string& sql) {
  ResultPtr result(PQexec(raw(), sql.c_str()));
  const ExecStatusType status = result != nullptr ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return PgError(raw(), result.get(), sql.substr(0, 80));
  }
  return Status::Ok();
}

Query Conn::Prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    auto [numbered, count] = NumberPlaceholders(sql);
    std::string name = "s" + std::to_string(statements_.size() + 1);
    ResultPtr result(PQprepare(raw(), name.c_str(), numbered.c_str(), 0, nullptr));
    if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      return Query(this, sql, count, PgError(raw(), result.get(), sql));
    }
    found = statements_.emplace(sql, std::make_pair(std::move(name), count)).first;
  }
  return Query(this, found->second.first, found->second.second, Status::Ok());
}

bool Conn::Healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

bool Conn::StillOpen() {
  if (!Healthy()) return false;
  // Anything that arrived unasked (rectify LISTENs to nothing) is the server's farewell (the
  // FATAL of a shutdown or pg_terminate_backend) or the end of the stream: the connection is
  // not reused, which costs at worst one reconnect.
  pollfd idle{PQsocket(conn_.get()), POLLIN, 0};
  return ::poll(&idle, 1, 0) == 0;
}

bool Conn::InTransaction() const { return PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }

// --- Transaction -------------------------------------------------------------------------

Result<Transaction> Transaction::Begin(Conn& conn) {
  RECTIFY_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  return Transaction(&conn);
}

Transaction::~Transaction() {
  if (conn_ != nullptr) (void)conn_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Status committed = conn_->Exec("COMMIT");
  if (committed.ok()) conn_ = nullptr;
  return committed;
}

namespace {

// Rows are sent when this much is buffered: large enough that the sends are few, small enough
// that a copy's memory does not grow with the table.
constexpr std::size_t kCopyChunk = 256 * 1024;

// A value in COPY's text format: a backslash, and the characters that end a field or a row,
// written as escapes.
void AppendCopyValue(std::string& out, const std::string& value) {
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

}  // namespace

Result<CopyIn> CopyIn::Begin(Conn& conn, const std::string& table, const std::vector<std::string>& columns) {
  std::string sql = "COPY " + table + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += (i == 0 ? "" : ", ") + columns[i];
  sql += ") FROM STDIN";
  ResultPtr result(PQexec(conn.raw(), sql.c_str()));
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COPY_IN) return PgError(conn.raw(), result.get(), sql);
  return CopyIn(&conn, columns.size());
}

CopyIn::~CopyIn() {
  if (conn_ == nullptr) return;
  // Abandoned: PostgreSQL ends the COPY with an error, and the connection is usable again.
  PQputCopyEnd(conn_->raw(), "the copy was abandoned");
  while (ResultPtr result{PQgetResult(conn_->raw())}) {
  }
}

Status CopyIn::Row(const std::vector<std::optional<std::string>>& values) {
  if (conn_ == nullptr) return Status::Internal("postgresql: a row after the copy ended");
  if (values.size() != width_) {
    return Status::Internal("postgresql: a copied row of " + std::to_string(values.size()) + " values for " +
                            std::to_string(width_) + " columns");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) buffer_ += '\t';
    if (values[i]) {
      AppendCopyValue(buffer_, *values[i]);
    } else {
      buffer_ += "\\N";
    }
  }
  buffer_ += '\n';
  return buffer_.size() >= kCopyChunk ? Send() : Status::Ok();
}

Status CopyIn::Send() {
  if (!buffer_.empty() &&
      PQputCopyData(conn_->raw(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
    return PgError(conn_->raw(), nullptr, "sending copied rows");
  }
  buffer_.clear();
  return Status::Ok();
}

Result<std::int64_t> CopyIn::End() {
  if (conn_ == nullptr) return Status::Internal("postgresql: the copy has already ended");
  RECTIFY_RETURN_IF_ERROR(Send());
  Conn* conn = std::exchange(conn_, nullptr);
  if (PQputCopyEnd(conn->raw(), nullptr) != 1) return PgError(conn->raw(), nullptr, "ending a copy");
  ResultPtr result(PQgetResult(conn->raw()));
  Status status = result != nullptr && PQresultStatus(result.get()) == PGRES_COMMAND_OK
                      ? Status::Ok()
                      : PgError(conn->raw(), result.get(), "copying rows");
  const std::int64_t rows = status.ok() ? std::strtoll(PQcmdTuples(result.get()), nullptr, 10) : 0;
  while (ResultPtr rest{PQgetResult(conn->raw())}) {
  }
  if (!status.ok()) return status;
  return rows;
}

}  // namespace rectify::pg
