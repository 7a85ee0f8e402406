// The charts' series: GET /api/candles (the live market's closed candles with the running
// strategy's lines), GET /api/backtest/{id}/candles (a finished run's, with its strategy's) and
// GET /api/equity (the account's equity, once per candle).
#include <cmath>

#include <nlohmann/json.hpp>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/input.hpp"
#include "messages/backtest_json.hpp"
#include "messages/json.hpp"

namespace ct::http {

namespace {

using nlohmann::json;

std::string at(std::int64_t ms) {
  return trading::format_rfc3339(trading::from_unix_ms(ms));
}

std::string candles_body(const msg::candles_page& p) {
  json candles = json::array();
  for (const auto& c : p.candles)
    candles.push_back({{"time", at(c.open_time_ms)},
                       {"open", msg::number(c.open)},
                       {"high", msg::number(c.high)},
                       {"low", msg::number(c.low)},
                       {"close", msg::number(c.close)},
                       {"volume", msg::number(c.volume)}});
  json lines = json::array();
  for (const auto& l : p.lines) {
    json values = json::array();
    for (double v : l.values)
      values.push_back(std::isfinite(v) ? json(v) : json(nullptr));
    lines.push_back({{"name", l.name}, {"overlay", l.overlay}, {"values", std::move(values)}});
  }
  return json{{"symbol", p.symbol},
              {"timeframe", msg::timeframe_name(p.step_ms)},
              {"market_time", at(p.market_ms)},
              {"candles", std::move(candles)},
              {"indicators", {{"strategy", p.strategy}, {"lines", std::move(lines)}}},
              {"next_before", p.next_before ? json(at(*p.next_before)) : json(nullptr)}}
      .dump();
}

std::string equity_body(const msg::equity_page& p) {
  json points = json::array();
  for (const auto& e : p.points)
    points.push_back({{"time", at(e.market_ms)},
                      {"at", trading::format_rfc3339(e.at)},
                      {"equity", msg::number(e.equity)},
                      {"cash", msg::number(e.cash)}});
  return json{{"points", std::move(points)}, {"samples", p.samples}}.dump();
}

/// A market time given as RFC 3339, a date or epoch milliseconds; an error names the key.
std::optional<api_error> moment(const std::optional<std::string>& text, const char* key,
                                std::optional<std::int64_t>& out) {
  if (!text)
    return std::nullopt;
  out = trading::parse_moment_ms(*text);
  if (out)
    return std::nullopt;
  return api_error{errc::invalid_value,
                   std::string{key} + " must be an RFC 3339 time, a date or epoch milliseconds",
                   key};
}

}  // namespace

void get_equity(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  msg::equity_query query;
  query.limit = q.integer("limit", 2, 5000).value_or(500);
  auto from = q.text("from");
  auto to = q.text("to");
  if (auto err = q.finish())
    return send_error(out, *err);
  if (auto err = moment(from, "from", query.from_ms))
    return send_error(out, *err);
  if (auto err = moment(to, "to", query.to_ms))
    return send_error(out, *err);
  ask(ctx, ctx.ports->get(&msg::http_ports::timeline), ctx.request_timeout(), query, out,
      "timeline", [out](msg::equity_page& p) { send_json(out, 200, equity_body(p)); });
}

void get_candles(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  msg::get_candles query;
  auto symbol = q.symbol("symbol", ctx.symbols);
  query.limit = q.integer("limit", 1, 1000).value_or(300);
  auto before = q.text("before");
  if (auto err = q.finish())
    return send_error(out, *err);
  if (!symbol)
    return send_error(out, {errc::invalid_value, "symbol is required", "symbol"});
  query.symbol = *symbol;
  if (auto err = moment(before, "before", query.before_ms))
    return send_error(out, *err);
  ask(ctx, ctx.ports->get(&msg::http_ports::market_feed), ctx.request_timeout(), std::move(query),
      out, "market_feed", [out](msg::candles_page& p) { send_json(out, 200, candles_body(p)); });
}

void get_backtest_candles(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  msg::get_backtest_candles query;
  auto symbol = q.text("symbol");
  query.limit = q.integer("limit", 1, 1000).value_or(300);
  auto before = q.text("before");
  if (auto err = q.finish())
    return send_error(out, *err);
  if (!symbol || symbol->empty())
    return send_error(out, {errc::invalid_value, "symbol is required", "symbol"});
  if (auto err = moment(before, "before", query.before_ms))
    return send_error(out, *err);
  static const std::string prefix = "/api/backtest/";
  static const std::string suffix = "/candles";
  query.id = req.path.substr(prefix.size(), req.path.size() - prefix.size() - suffix.size());
  query.symbol = *symbol;
  ask(ctx, ctx.ports->get(&msg::http_ports::backtests), ctx.request_timeout(), std::move(query),
      out, "backtests", [out](msg::candles_page& p) { send_json(out, 200, candles_body(p)); });
}

}  // namespace ct::http
