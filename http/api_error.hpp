// The API's error answer: a status and the body {"error":{"code","message","field"}}. The one
// table from a code to its status, and from an actor's caf::error to an answer, is api_error.cpp.
#pragma once

#include <string>

#include <caf/error.hpp>

#include "trading/result.hpp"

namespace ct::http {

struct api_error {
  api_error(errc c, std::string msg, std::string fld = {});

  int status;  // the code's
  errc code;
  std::string message;
  std::string field;  // empty: no "field" in the body
};

/// The HTTP status of an answer with this code.
int status_of(errc code);

/// The JSON body of an error answer.
std::string error_body(const api_error& e);

/// Maps an actor's answer to the API: invalid input 422, conflicts 409, exchange and actor
/// trouble 503. `who` names the actor asked, for timeouts and restarts.
api_error from_actor_error(const caf::error& e, const std::string& who);

/// A failed validation (a ct::error from messages/ or trading/) as an answer.
api_error from_validation(const ct::error& e);

api_error bad_request(std::string message);

}  // namespace ct::http
