// Who may drive the service: the checks that keep a web page on another origin from acting on
// it (API.md, "Browsers"), apart from the token. Pure functions over the request's headers, so
// that the REST routes and the WebSocket upgrade apply the very same rules.
//
// - Host must name this machine's loopback, the bound address, or an allowed host: otherwise a
//   page that rebinds its own DNS name to 127.0.0.1 could read our answers (421).
// - Origin, when a browser sends one, must be the service's own origin (http, a loopback name
//   or address, the bound port) or an allowed origin such as the gateway's (403).
// - A body must be declared JSON: a cross-site "simple request" (text/plain, a form) can then
//   never carry one (415).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/api_error.hpp"

namespace ct::http {

struct caller_policy {
  std::string bind;                          // the address the service is bound to
  std::atomic<std::uint16_t> port{0};        // the port it got (known once it listens)
  std::vector<std::string> allowed_hosts;    // http.allowed_hosts, lower case
  std::vector<std::string> allowed_origins;  // http.allowed_origins, lower case
};

/// 421 misdirected_request unless `host` (the Host header) is a loopback name or address (any
/// port or none), the bound address or an allowed host. No Host header (HTTP/1.0): no check.
std::optional<api_error> check_host(const caller_policy& p, const std::optional<std::string>& host);

/// 403 forbidden_origin unless `origin` is absent, the service's own origin, or allowed.
std::optional<api_error> check_origin(const caller_policy& p,
                                      const std::optional<std::string>& origin);

/// Whether a Content-Type header says application/json (any case, parameters allowed).
bool is_json_media_type(std::string_view content_type);

/// True for "localhost", names under ".localhost", 127.0.0.0/8 and ::1 (without brackets).
bool is_loopback_name(std::string_view host);

}  // namespace ct::http
