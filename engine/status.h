// The error vocabulary of rectify. Expected outcomes (a bad field, an unknown id, an event
// not allowed now, a version conflict) are values of Status or Result<T>, never exceptions.
// Exceptions are reserved for "cannot continue" and are caught in exactly two places: the
// HTTP exception handler and the notifier loop.
#pragma once

#include <cassert>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rectify {

enum class StatusCode {
  kOk,
  // The caller sent something malformed or missing; `field` names it.
  kInvalidArgument,
  // The named thing does not exist.
  kNotFound,
  // The request is well-formed but not allowed in the current state; `allowed` lists what is.
  kFailedPrecondition,
  // The request is well-formed and allowed in this state, but its content fails a rule
  // (for example, a send-back without a reason); `field` names what is wrong.
  kUnprocessable,
  // Nobody known is asking: no session, or a forged, expired or revoked one, or wrong credentials.
  kUnauthenticated,
  // The actor may not do this.
  kPermissionDenied,
  // Too many attempts (failed logins), or a receiver that said "too many messages" (a robot's
  // rate limit): refused for a while without being looked at; try again after the wait.
  kResourceExhausted,
  // Someone else changed the record first (optimistic version check); retry after re-reading.
  kAborted,
  // Something this depends on is down or busy for now (a receiver that answered 5xx or timed
  // out): the same request may succeed later.
  kUnavailable,
  // The storage or the program is broken: a bug, corruption or I/O failure.
  kInternal,
};

const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string field, std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status NotFound(std::string message) { return Status(StatusCode::kNotFound, std::move(message)); }
  static Status FailedPrecondition(std::string message, std::vector<std::string> allowed) {
    Status s(StatusCode::kFailedPrecondition, std::move(message));
    s.allowed_ = std::move(allowed);
    s.lists_allowed_ = true;
    return s;
  }
  static Status Unprocessable(std::string field, std::string message) {
    return Status(StatusCode::kUnprocessable, std::move(message), std::move(field));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status ResourceExhausted(std::string message) {
    return Status(StatusCode::kResourceExhausted, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  // A refused event: `allowed` lists what this actor may do instead.
  static Status PermissionDenied(std::string message, std::vector<std::string> allowed) {
    Status s(StatusCode::kPermissionDenied, std::move(message));
    s.allowed_ = std::move(allowed);
    s.lists_allowed_ = true;
    return s;
  }
  static Status Aborted(std::string message) { return Status(StatusCode::kAborted, std::move(message)); }
  static Status Unavailable(std::string message) { return Status(StatusCode::kUnavailable, std::move(message)); }
  static Status Internal(std::string message) { return Status(StatusCode::kInternal, std::move(message)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field at fault, for kInvalidArgument and kUnprocessable; may be empty.
  const std::string& field() const { return field_; }
  // The events allowed instead, for kFailedPrecondition and a refused event's kPermissionDenied.
  const std::vector<std::string>& allowed() const { return allowed_; }
  // True when allowed() is meaningful, even if empty (the actor may do nothing here).
  bool lists_allowed() const { return lists_allowed_; }

  // Why, for a person: a stable code (README, "Errors": a date not in the future, before the day
  // it counts from, a year the calendar lacks, a step's minimum time...) with the values it names,
  // each as text (dates and instants in ISO form), which the page words in Chinese
  // (web/static/errors.js). Empty when the code and the field say all there is. The message
  // stays the English sentence for the log.
  const std::string& reason() const { return reason_; }
  const std::map<std::string, std::string>& params() const { return params_; }
  // This status with a reason and its values.
  Status WithReason(std::string reason, std::map<std::string, std::string> params) const {
    Status s = *this;
    s.reason_ = std::move(reason);
    s.params_ = std::move(params);
    return s;
  }

  // "invalid_argument: deadline: not an ISO date" — for logs and command-line output.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::vector<std::string> allowed_;
  bool lists_allowed_ = false;
  std::string reason_;
  std::map<std::string, std::string> params_;
};

// A value or the Status that explains why there is none. Reading value() of a failed
// Result is a programming error (asserted).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  T& value() & { assert(ok()); return std::get<T>(data_); }
  const T& value() const& { assert(ok()); return std::get<T>(data_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace rectify

// Returns early with the failed Status of `expr`.
#define RECTIFY_RETURN_IF_ERROR(expr)            \
  do {                                           \
    ::rectify::Status rectify_status_ = (expr);  \
    if (!rectify_status_.ok()) return rectify_status_; \
  } while (0)
