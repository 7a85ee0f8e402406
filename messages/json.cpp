#include "messages/json.hpp"

#include "messages/json_out.hpp"
#include "trading/symbol.hpp"

namespace ct::msg {

using nlohmann::json;

json time_or_null(const std::optional<trading::timestamp>& t) {
  return t ? json(trading::format_rfc3339(*t)) : json(nullptr);
}

namespace {

/// A market time in ms, or null when not known (0).
json market_time_or_null(std::int64_t ms) {
  return ms != 0 ? json(trading::format_rfc3339(trading::from_unix_ms(ms))) : json(nullptr);
}

}  // namespace

json to_json(const trading::position& p) {
  json stop = p.stop_loss ? json(number(*p.stop_loss)) : json(nullptr);
  json target = p.take_profit ? json(number(*p.take_profit)) : json(nullptr);
  json reason = p.exit_reason ? json(trading::to_string(*p.exit_reason)) : json(nullptr);
  json exit_price = p.is_open() ? json(nullptr) : json(number(p.exit_price));
  return json{
      {"id", p.id},
      {"symbol", p.symbol},
      {"side", trading::to_string(p.side)},
      {"quantity", number(p.qty)},
      {"entry_price", number(p.entry_price)},
      {"mark_price", number(p.mark)},
      {"unrealized_pnl", number(p.unrealized_pnl())},
      {"realized_pnl", number(p.realized_pnl())},
      {"stop_loss", stop},
      {"take_profit", target},
      {"opened_at", trading::format_rfc3339(p.opened_at)},
      {"closed_at", time_or_null(p.closed_at)},
      {"entry_market_time", market_time_or_null(p.entry_market_ms)},
      {"exit_market_time", p.is_open() ? json(nullptr) : market_time_or_null(p.exit_market_ms)},
      {"exit_reason", reason},
      {"exit_price", exit_price},
      {"cost", number(p.cost)},
      {"fees", number(p.entry_fee + p.exit_fee)},
      {"strategy", p.strategy},
      {"entry_reason", p.entry_reason}};
}

json to_json(const trading::opportunity& o) {
  return json{{"symbol", o.symbol},
              {"action", trading::to_string(o.action)},
              {"score", o.score},
              {"price", number(o.px)},
              {"strategy", o.strategy},
              {"reason", o.reason},
              {"signal_at", trading::format_rfc3339(trading::from_unix_ms(o.signal_ms))}};
}

json to_json(const scan_report& r) {
  json opps = json::array();
  for (const auto& o : r.opportunities)
    opps.push_back(to_json(o));
  json market_time =
      r.at ? json(trading::format_rfc3339(trading::from_unix_ms(r.market_ms))) : json(nullptr);
  return json{{"at", time_or_null(r.at)},         {"scanned", r.scanned},
              {"opportunities", std::move(opps)}, {"market_time", std::move(market_time)},
              {"on_demand", r.on_demand},         {"duration_ms", r.duration_ms}};
}

json asset_json(const trading::ticker& t) {
  auto parts = trading::split_symbol(t.symbol);
  return json{{"symbol", t.symbol},
              {"base", parts ? parts->base : std::string{}},
              {"quote", parts ? parts->quote : std::string{}},
              {"price", number(t.q.last)},
              {"bid", number(t.q.bid)},
              {"ask", number(t.q.ask)},
              {"change_24h_pct", t.q.change_24h_pct},
              {"volume_24h", t.q.volume_24h},
              {"tradable", t.tradable}};
}

json to_json(const trading::fill& f) {
  return json{{"order_id", f.order_id},
              {"symbol", f.symbol},
              {"side", trading::to_string(f.side)},
              {"quantity", number(f.qty)},
              {"price", number(f.px)},
              {"fee", number(f.fee)},
              {"notional", number(trading::notional(f.px, f.qty, trading::rounding::nearest))}};
}

std::string render_event(const timeline_event& e) {
  // Written straight into one buffer (a page has up to 1,000): data is already a JSON object.
  json_out out;
  out.field("seq", e.seq)
      .field("at", trading::format_rfc3339(e.at))
      .field("type", e.type)
      .field("source", e.source)
      .raw_field("data", e.data.empty() ? std::string_view{"{}"} : std::string_view{e.data});
  return out.finish();
}

std::string render_timeline_page(const timeline_page& page) {
  std::string out = "{\"events\":[";
  for (std::size_t i = 0; i < page.events.size(); ++i) {
    if (i > 0)
      out += ',';
    out += render_event(page.events[i]);
  }
  out += "],\"next_before_seq\":";
  out += page.next_before_seq ? std::to_string(*page.next_before_seq) : "null";
  out += '}';
  return out;
}

}  // namespace ct::msg
