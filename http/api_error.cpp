#include "http/api_error.hpp"

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "messages/errors.hpp"

namespace ct::http {

api_error::api_error(errc c, std::string msg, std::string fld)
    : status(status_of(c)), code(c), message(std::move(msg)), field(std::move(fld)) {}

std::string error_body(const api_error& e) {
  nlohmann::json inner{{"code", to_string(e.code)}, {"message", e.message}};
  if (!e.field.empty())
    inner["field"] = e.field;
  // A message may quote what the client sent: never let a byte of it make the answer throw.
  return nlohmann::json{{"error", std::move(inner)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

int status_of(errc code) {
  switch (code) {
    case errc::invalid_json:
    case errc::too_deep:
    case errc::too_long:
    case errc::too_many_keys:
    case errc::invalid_utf8:
    case errc::invalid_message:
    case errc::unknown_op:
    case errc::unknown_channel:
    case errc::bad_request:
      return 400;
    case errc::unauthorized:
      return 401;
    case errc::forbidden_origin:
    case errc::forbidden_path:
      return 403;
    case errc::not_found:
      return 404;
    case errc::method_not_allowed:
      return 405;
    case errc::restart_required:
    case errc::conflict:
      return 409;
    case errc::payload_too_large:
      return 413;
    case errc::unsupported_media_type:
      return 415;
    case errc::misdirected_request:
      return 421;
    case errc::invalid_value:
    case errc::unknown_key:
    case errc::unknown_symbol:
    case errc::unknown_parameter:
    case errc::bad_data:
      return 422;
    case errc::upgrade_required:
      return 426;
    case errc::headers_too_large:
      return 431;
    case errc::exchange_unavailable:
    case errc::actor_unavailable:
    case errc::shutting_down:
    case errc::too_many_clients:
    case errc::too_many_connections:
      return 503;
    case errc::storage:
    case errc::internal:
      return 500;
  }
  return 500;
}

api_error from_actor_error(const caf::error& e, const std::string& who) {
  if (e.category() == msg::error_category()) {
    const auto code = static_cast<errc>(e.code());
    return {code, msg::message_of(e, to_string(code)), msg::field_of(e)};
  }
  if (e == caf::sec::request_timeout)
    return {errc::actor_unavailable, who + " did not answer in time"};
  if (e == caf::sec::request_receiver_down)
    return {errc::actor_unavailable, who + " is down or restarting"};
  return {errc::internal, "unexpected error from " + who};
}

api_error from_validation(const ct::error& e) {
  return {e.code == errc::bad_data ? errc::invalid_value : e.code, e.message, e.field};
}

api_error bad_request(std::string message) {
  return {errc::invalid_json, std::move(message)};
}

}  // namespace ct::http
