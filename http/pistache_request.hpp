// What the handler needs of a Pistache request: a copy the routes can keep (Pistache resets its
// request when the handler returns), the header limits, and the upgrade request as websocketpp
// reads it. Pistache's request type stays in the HTTP layer's handler files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <pistache/http.h>

#include "http/api_error.hpp"
#include "http/request.hpp"

namespace ct::http {

struct copied_request : request {
  bool query_ok = true;  // every query component percent-decodes
};

inline constexpr const char* header_limits_message =
    "the request line and headers exceed 16 KiB or 100 headers";

/// A header's value, if the request has it (any case).
std::optional<std::string> header(const Pistache::Http::Request& req, const char* name);

/// Whether a comma-separated header value holds `token`, in any case.
bool has_token(std::string value, std::string_view token);

/// What the routes need of a request, copied, with the UTF-8 check of everything but the body
/// (which the JSON parser checks).
copied_request copy_request(const Pistache::Http::Request& req);

/// 431 past the header limits (checked as headers arrive); once they are complete, 400 for a
/// request that gives both Content-Length and Transfer-Encoding (a smuggling attempt: which one
/// counts would depend on who reads it).
std::optional<api_error> check_headers(const Pistache::Http::Request& req, bool complete);

/// The upgrade request as websocketpp expects to read it off the wire.
std::string handshake_of(const Pistache::Http::Request& req);

}  // namespace ct::http
