#include "messages/status_json.hpp"

#include "messages/json_out.hpp"

namespace ct::msg {

namespace {

template <class Tag>
double number(trading::fixed<Tag> v) {
  return v.to_double();
}

void time_or_null(json_out& out, std::string_view key, const std::optional<trading::timestamp>& t) {
  if (t)
    out.field(key, trading::format_rfc3339(*t));
  else
    out.null_field(key);
}

}  // namespace

status_context with_figures(status_context ctx, const http_figures* figures) {
  if (figures != nullptr) {
    ctx.requests_in_flight = figures->requests_in_flight();
    ctx.ws_clients = figures->ws_clients();
    ctx.ws_slow_closed = figures->ws_slow_closed();
  }
  return ctx;
}

std::string render_status(const status_snapshot& s, const status_context& ctx) {
  json_out restarts;
  for (const auto& [name, n] : s.restarts)
    restarts.field(name, n);
  json_out out;
  out.field("trading", s.trading)
      .field("mode", name_of(s.mode))
      .field("exchange", s.exchange)
      .field("started_at", trading::format_rfc3339(ctx.started_at));
  time_or_null(out, "trading_since", s.trading_since);
  out.field("scan_interval_ms", s.scan_interval_ms);
  time_or_null(out, "last_scan_at", s.last_scan_at);
  out.field("scans", s.scans)
      .field("open_positions", s.open_positions)
      .field("closed_positions", s.closed_positions)
      .field("cash", number(s.cash))
      .field("equity", number(s.equity))
      .field("realized_pnl", number(s.realized_pnl))
      .field("unrealized_pnl", number(s.unrealized_pnl))
      .field("starting_cash", number(s.starting_cash))
      .field("fees_paid", number(s.fees_paid))
      .field("quote_currency", s.quote_currency)
      .raw_field("restarts", restarts.finish())
      .field("exchange_state", name_of(s.exchange_state.state));
  if (s.exchange_state.last_error.empty())
    out.null_field("exchange_error");
  else
    out.field("exchange_error", s.exchange_state.last_error);
  if (s.weight_limit > 0)
    out.field("exchange_weight_used", s.weight_used).field("exchange_weight_limit", s.weight_limit);
  else
    out.null_field("exchange_weight_used").null_field("exchange_weight_limit");
  out.field("uptime_s", ctx.uptime_s).field("version", ctx.version);
  if (ctx.requests_in_flight)
    out.field("requests_in_flight", static_cast<std::int64_t>(*ctx.requests_in_flight));
  if (ctx.ws_clients)
    out.field("ws_clients", *ctx.ws_clients);
  if (ctx.ws_slow_closed)
    out.field("ws_slow_closed", *ctx.ws_slow_closed);
  return out.finish();
}

}  // namespace ct::msg
