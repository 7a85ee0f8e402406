// Trading on and off, positions, the timeline, scans and assets.
#include <nlohmann/json.hpp>

#include "http/ask.hpp"
#include "http/endpoints.hpp"
#include "http/input.hpp"
#include "messages/json.hpp"

namespace ct::http {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// Query parameters, all known; else answers the error and returns false.
bool check(query_reader& q, const reply_ptr& out) {
  if (auto err = q.finish()) {
    send_error(out, *err);
    return false;
  }
  return true;
}

/// A body that may be empty or a JSON object with only `allowed` keys.
std::optional<json> small_body(const request& req, const reply_ptr& out,
                               std::initializer_list<const char*> allowed) {
  auto body = parse_object(req.body, false);
  if (auto* err = std::get_if<api_error>(&body)) {
    send_error(out, *err);
    return std::nullopt;
  }
  auto& obj = std::get<json>(body);
  if (auto err = only_keys(obj, allowed)) {
    send_error(out, *err);
    return std::nullopt;
  }
  return obj;
}

std::string trading_body(const msg::trading_changed& r) {
  return json{{"trading", r.trading}, {"changed", r.changed}}.dump();
}

}  // namespace

void post_trading_start(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (!check(q, out) || !small_body(req, out, {}))
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::position_manager), ctx.request_timeout(),
      msg::start_atom::value, out, "position_manager",
      [out](msg::trading_changed& r) { send_json(out, 200, trading_body(r)); });
}

void post_trading_stop(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (!check(q, out))
    return;
  auto body = small_body(req, out, {"close_positions"});
  if (!body)
    return;
  msg::stop_trading cmd;
  if (auto it = body->find("close_positions"); it != body->end() && !it->is_null()) {
    if (!it->is_boolean())
      return send_error(out, api_error(errc::invalid_value, "close_positions must be true or false",
                                       "close_positions"));
    cmd.close_positions = it->get<bool>();
  }
  // Closing positions in live mode waits for the exchange's fills.
  const auto timeout = cmd.close_positions ? milliseconds{ctx.settings->exchange_timeout_ms + 2000}
                                           : ctx.request_timeout();
  ask(ctx, ctx.ports->get(&msg::http_ports::position_manager), timeout, cmd, out,
      "position_manager", [out](msg::trading_changed& r) { send_json(out, 200, trading_body(r)); });
}

void get_positions(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  msg::get_positions query;
  query.state = msg::parse_kind<msg::position_filter>(
                    q.one_of("state", {"open", "closed", "all"}).value_or("open"))
                    .value_or(msg::position_filter::open);
  query.symbol = q.symbol("symbol", ctx.symbols).value_or("");
  query.limit = q.integer("limit", 1, 1000).value_or(1000);
  if (auto before = q.integer("before", 1, 9'007'199'254'740'991))
    query.before = *before;
  if (!check(q, out))
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::position_manager), ctx.request_timeout(), query, out,
      "position_manager", [out](msg::positions_snapshot& s) {
        json list = json::array();
        for (const auto& p : s.positions)
          list.push_back(msg::to_json(p));
        json body{{"positions", std::move(list)}};
        body["next_before"] = s.next_before ? json(*s.next_before) : json(nullptr);
        send_json(out, 200, body.dump());
      });
}

void post_position_close(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (!check(q, out) || !small_body(req, out, {}))
    return;
  static const std::string prefix = "/api/positions/";
  static const std::string suffix = "/close";
  msg::close_position cmd{
      req.path.substr(prefix.size(), req.path.size() - prefix.size() - suffix.size())};
  // Closing waits for the exit's fill, which in live mode is the exchange's.
  const milliseconds timeout{ctx.settings->exchange_timeout_ms + 2000};
  ask(ctx, ctx.ports->get(&msg::http_ports::position_manager), timeout, std::move(cmd), out,
      "position_manager",
      [out](trading::position& p) { send_json(out, 200, msg::to_json(p).dump()); });
}

void get_timeline(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  constexpr std::uint64_t max_seq = 9'007'199'254'740'991;  // 2^53 - 1: exact in JavaScript
  msg::get_timeline query;
  query.limit = q.integer("limit", 1, 1000).value_or(100);
  if (auto before = q.integer("before_seq", 0, max_seq))
    query.before_seq = *before;
  if (auto after = q.integer("after_seq", 0, max_seq))
    query.after_seq = *after;
  query.type = q.text("type").value_or("");
  if (!check(q, out))
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::timeline), ctx.request_timeout(), query, out,
      "timeline",
      [out](msg::timeline_page& page) { send_json(out, 200, msg::render_timeline_page(page)); });
}

void get_scan(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (!check(q, out))
    return;
  ask(ctx, ctx.ports->get(&msg::http_ports::scanner), ctx.request_timeout(),
      msg::get_scan_atom::value, out, "scanner",
      [out](msg::scan_report& r) { send_json(out, 200, msg::to_json(r).dump()); });
}

void post_scan(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  if (!check(q, out) || !small_body(req, out, {}))
    return;
  // A scan waits for the exchange, which has its own timeout.
  const milliseconds timeout{ctx.settings->exchange_timeout_ms + 2000};
  ask(ctx, ctx.ports->get(&msg::http_ports::scanner), timeout, msg::scan_now_atom::value, out,
      "scanner", [out](msg::scan_report& r) { send_json(out, 200, msg::to_json(r).dump()); });
}

void get_assets(const api_context& ctx, const request& req, const reply_ptr& out) {
  query_reader q{req};
  auto symbol = q.symbol("symbol", ctx.symbols);
  if (!check(q, out))
    return;
  const milliseconds timeout{ctx.settings->exchange_timeout_ms + 2000};
  ask(ctx, ctx.ports->get(&msg::http_ports::market_feed), timeout, msg::assets_atom::value, out,
      "market_feed", [out, symbol](trading::ticker_batch& b) {
        json list = json::array();
        for (const auto& t : b.tickers)
          if (!symbol || t.symbol == *symbol)
            list.push_back(msg::asset_json(t));
        json body{{"assets", std::move(list)},
                  {"market_time", trading::format_rfc3339(trading::from_unix_ms(b.market_ms))},
                  {"at", trading::format_rfc3339(b.at)}};
        send_json(out, 200, body.dump());
      });
}

void get_ws(const api_context&, const request&, const reply_ptr& out) {
  send_error(out, {errc::upgrade_required, "/ws is a WebSocket: send an upgrade request", ""});
}

}  // namespace ct::http
