// The API's error answer: a status and the body {"error":{"code","message","field"}}. The one
// table from an actor's caf::error to a status lives in api_error.cpp.
#pragma once

#include <string>

#include <caf/error.hpp>

#include "trading/result.hpp"

namespace ct::http {

struct api_error {
  int status = 500;
  std::string code;
  std::string message;
  std::string field;  // empty: no "field" in the body
};

/// The JSON body of an error answer.
std::string error_body(const api_error& e);

/// Maps an actor's answer to the API: invalid input 422, conflicts 409, exchange and actor
/// trouble 503. `who` names the actor asked, for timeouts and restarts.
api_error from_actor_error(const caf::error& e, const std::string& who);

/// A failed validation (a ct::error from messages/ or trading/) as a 422, or 409 when the
/// code says so.
api_error from_validation(const ct::error& e);

api_error bad_request(std::string message);
api_error unprocessable(std::string code, std::string message, std::string field);

}  // namespace ct::http
