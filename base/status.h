// Status and Result<T>: how every samrad stage reports failure.
//
// Errors are values inside samrad (no exceptions cross a stage boundary); the
// CLI turns them into a message on stderr and an exit code. A message names the
// file or value and the reason, e.g.
//
//   Status::DataError("corpus/remiss/r03.docx: not a zip archive")
//
// Usage:
//
//   Result<std::string> text = ReadFile(path);
//   if (!text.ok()) return text.status();
//   Use(*text);
#ifndef SAMRAD_BASE_STATUS_H_
#define SAMRAD_BASE_STATUS_H_

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace samrad {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kInvalidArgument,  // Bad usage: a flag, a query, a value the user typed.
    kDataError,        // Bad input data: a corrupt file, a schema violation.
    kNotFound,         // A file or record that should exist does not.
    kIOError,          // The operating system refused a read or write.
    kBusy,             // Another process holds a lock we need.
    kInternal,         // A bug in samrad or a dependency.
  };

  Status() = default;  // OK.
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status DataError(std::string m) { return {Code::kDataError, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }
  static Status Busy(std::string m) { return {Code::kBusy, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "data error: corpus/x.pdf: encrypted PDF" — for logs and tests.
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design.

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  T value_or(T fallback) const { return ok() ? *value_ : std::move(fallback); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace samrad

#define SAMRAD_RETURN_IF_ERROR(expr)        \
  do {                                      \
    ::samrad::Status samrad_status_ = (expr); \
    if (!samrad_status_.ok()) return samrad_status_; \
  } while (0)

#endif  // SAMRAD_BASE_STATUS_H_
