// Error codes between actors. A caf::error carries one of these codes in the "ct" category and a
// context of (message, field): http/errors.cpp turns it into a status and the API's error body.
#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>

#include "trading/result.hpp"

namespace ct::msg {

enum class errc : std::uint8_t {
  invalid_value = 1,     // 422: a wrong type or a value out of range
  unknown_key,           // 422
  unknown_symbol,        // 422
  restart_required,      // 409: a start-up-only setting cannot change at run time
  conflict,              // 409
  not_found,             // 404
  exchange_unavailable,  // 503: the exchange failed or timed out
  actor_unavailable,     // 503: a needed actor is down or restarting
  internal,              // 500
  forbidden_path,        // 403: a file outside the directories the API may read
};

/// The category atom of our errors ("ct").
caf::atom_value error_category();

/// A caf::error with our code and a (message, field) context.
caf::error make_error(errc code, std::string message, std::string field = {});

/// Turns an expected failure of the trading library into a caf::error, mapping its code.
caf::error make_error(const ct::error& e);

/// The stable snake_case name of a code ("invalid_value").
const char* to_string(errc code);

/// The message of one of our errors, or `fallback` for any other error.
std::string message_of(const caf::error& e, std::string fallback);

/// The field of one of our errors, or empty.
std::string field_of(const caf::error& e);

}  // namespace ct::msg
