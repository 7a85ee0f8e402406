#include "http/router.hpp"

#include <cctype>

#include "http/http_metrics.hpp"

namespace ct::http {

router::entry& router::named(const std::string& name) {
  auto [it, added] = routes_.try_emplace(name);
  if (added) {
    it->second.id = names_.size();
    names_.push_back(name);
  }
  return it->second;
}

void router::add(const std::string& method, const std::string& path, route_fn fn) {
  named(path).methods.emplace_back(method, fn);
}

void router::add_pattern(const std::string& method, const std::string& prefix,
                         const std::string& suffix, route_fn fn) {
  auto& e = named(prefix + "{id}" + suffix);
  if (e.methods.empty()) {
    e.prefix = prefix;
    e.suffix = suffix;
    patterns_.push_back(&e);
  }
  e.methods.emplace_back(method, fn);
}

namespace {

/// Whether `path` is `prefix` + one non-empty segment without '/' + `suffix`.
bool matches(std::string_view path, const std::string& prefix, const std::string& suffix) {
  if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  const auto segment = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return segment.find('/') == std::string_view::npos;
}

}  // namespace

const router::entry* router::find(const std::string& path) const {
  auto it = routes_.find(path);
  if (it == routes_.end() && path.size() > 1 && path.back() == '/')
    it = routes_.find(path.substr(0, path.size() - 1));  // tolerate a trailing slash
  if (it != routes_.end() && it->second.prefix.empty() && it->second.suffix.empty())
    return &it->second;
  for (const auto* p : patterns_)
    if (matches(path, p->prefix, p->suffix))
      return p;
  return nullptr;
}

std::optional<api_error> check_browser(const api_context& ctx, const request& req) {
  if (auto e = check_host(ctx.policy, req.host))
    return e;
  return check_origin(ctx.policy, req.origin);
}

// The order of checks is API.md's: 413 (the server, before this), 421, 403, 401, 404/405, 415,
// then the route's own 400 and 422. A request line or header that is not UTF-8 is refused
// after the token (so that nothing is said to a caller without one) and before routing.
void router::dispatch(const api_context& ctx, const request& req, const reply_ptr& given) const {
  const entry* found = find(req.path);
  const reply_ptr out = ctx.metrics ? std::make_shared<timed_reply>(
                                          given, ctx.metrics, found ? found->id : 0, req.method)
                                    : given;
  if (auto e = check_browser(ctx, req))
    return send_error(out, *e);
  if (needs_token(req.path) && !ctx.api_token.empty() &&
      !authorized(req.authorization, ctx.api_token))
    return send_error(out, {errc::unauthorized, "missing or wrong API token", ""});
  if (!req.utf8)
    return send_error(out, {errc::invalid_utf8,
                            "the request line or a header is not valid UTF-8 (raw or "
                            "percent-encoded)",
                            ""});
  if (found == nullptr)
    return send_error(out, {errc::not_found, "no such path: " + req.path, ""});
  std::string allow;
  for (const auto& [method, fn] : found->methods) {
    if (method == req.method) {
      if (!req.body.empty() && !is_json_media_type(req.content_type.value_or("")))
        return send_error(out,
                          {errc::unsupported_media_type,
                           "a request body must be sent as Content-Type: application/json", ""});
      return fn(ctx, req, out);
    }
    allow += (allow.empty() ? "" : ", ") + method;
  }
  response r;
  r.status = 405;
  r.body = error_body(
      {errc::method_not_allowed, req.method + " is not allowed on " + names_[found->id], ""});
  r.allow = allow;
  out->send(std::move(r));
}

bool needs_token(std::string_view path) {
  return path == "/api" || path.rfind("/api/", 0) == 0 || path == "/metrics";
}

bool constant_time_equals(std::string_view given, std::string_view expected) {
  // Runs over the expected length whatever is given; volatile keeps it from short-circuiting.
  volatile unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    diff = static_cast<unsigned char>(diff | (g ^ static_cast<unsigned char>(expected[i])));
  }
  return diff == 0;
}

bool authorized(std::string_view authorization, std::string_view token) {
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() + 1)
    return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return false;
  auto rest = authorization.substr(scheme.size());
  if (rest.front() != ' ')
    return false;
  while (!rest.empty() && rest.front() == ' ')
    rest.remove_prefix(1);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t'))
    rest.remove_suffix(1);
  return constant_time_equals(rest, token);
}

}  // namespace ct::http

#include "http/dashboard.hpp"
#include "http/endpoints.hpp"

namespace ct::http {

router make_api_router() {
  router r;
  r.add("GET", "/health", get_health);
  r.add("GET", "/metrics", get_metrics);
  r.add("GET", "/api/health", get_health);  // for the page, which reaches everything under its api
  r.add("POST", "/api/stream/ticket", post_stream_ticket);
  r.add("GET", "/api/openapi.json", get_openapi);
  r.add("GET", "/", get_dashboard_file);
  r.add("GET", "/config.json", get_dashboard_config);
  for (const auto& f : dashboard_files())
    r.add("GET", std::string{f.path}, get_dashboard_file);
  r.add("GET", "/api/status", get_status);
  r.add("GET", "/api/config", get_config);
  r.add("POST", "/api/config", post_config);
  r.add("POST", "/api/trading/start", post_trading_start);
  r.add("POST", "/api/trading/stop", post_trading_stop);
  r.add("GET", "/api/positions", get_positions);
  r.add("GET", "/api/timeline", get_timeline);
  r.add("GET", "/api/scan", get_scan);
  r.add("POST", "/api/scan", post_scan);
  r.add("GET", "/api/assets", get_assets);
  r.add("GET", "/api/candles", get_candles);
  r.add("GET", "/api/equity", get_equity);
  r.add("POST", "/api/backtest", post_backtest);
  r.add_pattern("GET", "/api/backtest/", "", get_backtest);
  r.add_pattern("GET", "/api/backtest/", "/candles", get_backtest_candles);
  r.add("POST", "/api/optimize", post_optimize);
  r.add_pattern("GET", "/api/optimize/", "", get_optimize);
  r.add_pattern("POST", "/api/positions/", "/close", post_position_close);
  r.add("GET", "/ws", get_ws);
  r.add("POST", "/api/debug/crash", post_debug_crash);
  r.add("POST", "/api/debug/hang", post_debug_hang);
  return r;
}

}  // namespace ct::http
