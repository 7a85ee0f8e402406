// Every error code the service reports, in API answers, WebSocket errors, events and start-up
// failures: one list, one stable snake_case name each (errc.cpp). Clients compare these names;
// the code compares the enum. The HTTP status of each code is http/api_error.cpp's table.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ct {

enum class errc : std::uint8_t {
  // Input that reached a handler and was refused.
  invalid_value = 1,  // a wrong type or a value out of range
  unknown_key,
  unknown_symbol,
  unknown_parameter,  // a query parameter the route does not take
  restart_required,   // a start-up-only setting cannot change at run time
  conflict,
  not_found,
  forbidden_path,  // a file outside the directories the API may read
  bad_data,        // candle data that cannot be used (an API answer says invalid_value)
  // Bodies and messages refused before any handler saw them.
  invalid_json,
  too_deep,
  too_long,
  too_many_keys,
  invalid_utf8,
  invalid_message,  // a WebSocket message without the shape of one
  unknown_op,
  unknown_channel,
  bad_request,
  payload_too_large,
  headers_too_large,
  unsupported_media_type,
  method_not_allowed,
  upgrade_required,
  // Who may ask.
  unauthorized,
  forbidden_origin,
  misdirected_request,
  // The service's own state.
  exchange_unavailable,
  actor_unavailable,
  shutting_down,
  too_many_clients,
  too_many_connections,
  storage,  // the database cannot be opened or used
  internal,
};

/// The code's stable name ("invalid_value").
const char* to_string(errc code);

/// The code of a name, or nothing for a name that is not one.
std::optional<errc> errc_from_string(std::string_view name);

}  // namespace ct
