// GET /api/candles: the live market's closed candles with the running strategy's lines.
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

}  // namespace

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
  if (before) {
    query.before_ms = trading::parse_moment_ms(*before);
    if (!query.before_ms)
      return send_error(
          out, {errc::invalid_value,
                "before must be an RFC 3339 time, a date or epoch milliseconds", "before"});
  }
  ask(ctx, ctx.ports->get(&msg::http_ports::market_feed), ctx.request_timeout(), std::move(query),
      out, "market_feed", [out](msg::candles_page& p) { send_json(out, 200, candles_body(p)); });
}

}  // namespace ct::http
