// Maps (path, method) to a route. /api and everything under it needs the API token when one is
// configured, checked before anything else; an unknown path is 404 and a known path with
// another method 405 with an Allow header.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/context.hpp"
#include "http/request.hpp"

namespace ct::http {

using route_fn = void (*)(const api_context&, const request&, const reply_ptr&);

class router {
public:
  void add(const std::string& method, const std::string& path, route_fn fn);
  /// A route for the paths `prefix` + one non-empty segment (no '/') + `suffix`:
  /// ("/api/backtest/", "") for "/api/backtest/{id}"; exact paths win.
  void add_pattern(const std::string& method, const std::string& prefix, const std::string& suffix,
                   route_fn fn);
  void dispatch(const api_context& ctx, const request& req, const reply_ptr& out) const;
  /// Each route's name, by the index GET /metrics counts it under; 0 is "other" (no route).
  const std::vector<std::string>& names() const { return names_; }

private:
  struct entry {
    std::vector<std::pair<std::string, route_fn>> methods;
    std::size_t id = 0;          // in names_
    std::string prefix, suffix;  // a pattern's
  };
  entry& named(const std::string& name);
  const entry* find(const std::string& path) const;
  std::map<std::string, entry> routes_;  // exact paths and patterns ("/a/{id}/b"), by name
  std::vector<const entry*> patterns_;   // into routes_
  std::vector<std::string> names_{"other"};
};

/// 421 for a foreign Host, then 403 for a foreign Origin (caller_policy.hpp); REST and the
/// WebSocket upgrade alike.
std::optional<api_error> check_browser(const api_context& ctx, const request& req);

/// The routes of the API.
router make_api_router();

/// Whether `path` needs the API token when one is set: /api, everything under it, and /metrics.
bool needs_token(std::string_view path);

/// Whether `authorization` is "Bearer <token>" (scheme in any case) for `token`; the token is
/// compared in time that depends only on its length.
bool authorized(std::string_view authorization, std::string_view token);

/// Compares without leaking where the first difference is.
bool constant_time_equals(std::string_view given, std::string_view expected);

}  // namespace ct::http
