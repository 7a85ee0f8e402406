// Errors between actors. A caf::error carries one of the service's codes in the "ct" category and a
// context of (message, field): http/errors.cpp turns it into a status and the API's error body.
#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>

#include "trading/result.hpp"

namespace ct::msg {

/// The codes are the service's one list (trading/errc.hpp).
using errc = ct::errc;

/// The category atom of our errors ("ct").
caf::atom_value error_category();

/// A caf::error with our code and a (message, field) context.
caf::error actor_error(errc code, std::string message, std::string field = {});

/// Turns an expected failure of the trading library into a caf::error, mapping its code.
caf::error actor_error(const ct::error& e);

/// The message of one of our errors, or `fallback` for any other error.
std::string message_of(const caf::error& e, std::string fallback);

/// The field of one of our errors, or empty.
std::string field_of(const caf::error& e);

}  // namespace ct::msg
