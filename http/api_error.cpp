#include "http/api_error.hpp"

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "messages/errors.hpp"

namespace ct::http {

std::string error_body(const api_error& e) {
  nlohmann::json inner{{"code", e.code}, {"message", e.message}};
  if (!e.field.empty())
    inner["field"] = e.field;
  // A message may quote what the client sent: never let a byte of it make the answer throw.
  return nlohmann::json{{"error", std::move(inner)}}.dump(-1, ' ', false,
                                                          nlohmann::json::error_handler_t::replace);
}

namespace {

int status_of(msg::errc code) {
  switch (code) {
    case msg::errc::invalid_value:
    case msg::errc::unknown_key:
    case msg::errc::unknown_symbol:
      return 422;
    case msg::errc::restart_required:
    case msg::errc::conflict:
      return 409;
    case msg::errc::not_found:
      return 404;
    case msg::errc::exchange_unavailable:
    case msg::errc::actor_unavailable:
      return 503;
    case msg::errc::internal:
      return 500;
    case msg::errc::forbidden_path:
      return 403;
  }
  return 500;
}

}  // namespace

api_error from_actor_error(const caf::error& e, const std::string& who) {
  if (e.category() == msg::error_category()) {
    const auto code = static_cast<msg::errc>(e.code());
    return {status_of(code), msg::to_string(code), msg::message_of(e, msg::to_string(code)),
            msg::field_of(e)};
  }
  if (e == caf::sec::request_timeout)
    return {503, "actor_unavailable", who + " did not answer in time", ""};
  if (e == caf::sec::request_receiver_down)
    return {503, "actor_unavailable", who + " is down or restarting", ""};
  return {500, "internal", "unexpected error from " + who, ""};
}

api_error from_validation(const ct::error& e) {
  if (e.code == "restart_required" || e.code == "conflict")
    return {409, e.code, e.message, e.field};
  return {422, e.code, e.message, e.field};
}

api_error bad_request(std::string message) {
  return {400, "invalid_json", std::move(message), ""};
}

api_error unprocessable(std::string code, std::string message, std::string field) {
  return {422, std::move(code), std::move(message), std::move(field)};
}

}  // namespace ct::http
