// Expected failures as values: a result<T> holds either a T or an error with a stable code, a
// message for a person, and the dotted path of the offending field (empty when none applies).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "trading/errc.hpp"

namespace ct {

/// An expected failure: `code` is stable (its name is errc.cpp's), `message` is for a person.
struct error {
  errc code = errc::internal;
  std::string message;
  std::string field;
};

inline error make_error(errc code, std::string message, std::string field = {}) {
  return error{code, std::move(message), std::move(field)};
}

/// Holds a value or an error; check ok() before value() or err().
template <class T>
class result {
public:
  result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(error err) : data_(std::move(err)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const ct::error& err() const { return std::get<1>(data_); }

private:
  std::variant<T, ct::error> data_;
};

/// A success with no value, or an error.
template <>
class result<void> {
public:
  result() = default;
  result(error err) : error_(std::move(err)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const ct::error& err() const { return *error_; }

private:
  std::optional<ct::error> error_;
};

}  // namespace ct
