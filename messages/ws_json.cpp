#include "messages/ws_json.hpp"

#include <cmath>

#include "messages/json.hpp"
#include "messages/json_out.hpp"

namespace ct::msg {

namespace {

std::string positions_array(const std::vector<trading::position>& positions) {
  std::string out = "[";
  for (std::size_t i = 0; i < positions.size(); ++i) {
    if (i > 0)
      out += ',';
    out += to_json(positions[i]).dump();
  }
  out += ']';
  return out;
}

std::string levels(const std::vector<trading::book_level>& side) {
  fmt::memory_buffer buf;
  buf.push_back('[');
  for (std::size_t i = 0; i < side.size(); ++i)
    fmt::format_to(std::back_inserter(buf), "{}[{},{}]", i > 0 ? "," : "", side[i].px.to_double(),
                   side[i].qty.to_double());
  buf.push_back(']');
  return fmt::to_string(buf);
}

}  // namespace

std::string ws_envelope(std::string_view type, trading::timestamp at, std::string_view data) {
  json_out out;
  out.field("type", type).field("at", trading::format_rfc3339(at)).raw_field("data", data);
  return out.finish();
}

std::string ws_hello(const publish_status& s, const status_context& ctx, trading::timestamp at) {
  json_out data;
  data.raw_field("status", render_status(s.status, ctx))
      .raw_field("positions", positions_array(s.open_positions));
  return ws_envelope("hello", at, data.finish());
}

std::string ws_status(const publish_status& s, const status_context& ctx) {
  return ws_envelope("status", s.at, render_status(s.status, ctx));
}

std::string ws_positions(const publish_status& s) {
  json_out data;
  data.raw_field("positions", positions_array(s.open_positions));
  return ws_envelope("positions", s.at, data.finish());
}

std::string ws_timeline(const timeline_event& e) {
  return ws_envelope("timeline", e.at, render_event(e));
}

std::string ws_ticker(const trading::ticker_batch& b) {
  std::vector<std::string> tickers;
  for (const auto& t : b.tickers)
    tickers.push_back(asset_json(t).dump());
  json_out data;
  data.field("market_time", trading::format_rfc3339(trading::from_unix_ms(b.market_ms)))
      .raw_array("tickers", tickers);
  return ws_envelope("ticker", b.at, data.finish());
}

std::string ws_book(const std::string& symbol, const trading::order_book& book,
                    std::uint64_t update_id, bool snapshot, std::int64_t market_ms,
                    trading::timestamp at) {
  json_out data;
  data.field("symbol", symbol).field("snapshot", snapshot).field("update_id", update_id);
  if (snapshot)
    data.null_field("prev_update_id");
  else
    data.field("prev_update_id", update_id - 1);
  data.field("market_time", trading::format_rfc3339(trading::from_unix_ms(market_ms)))
      .raw_field("bids", levels(book.bids))
      .raw_field("asks", levels(book.asks));
  return ws_envelope("orderbook:" + symbol, at, data.finish());
}

std::string ws_candle(const candle_update& u, const publish_candles& p) {
  const auto& c = u.bar;
  json_out bar;
  bar.field("time", trading::format_rfc3339(trading::from_unix_ms(c.open_time_ms)))
      .field("open", c.open.to_double())
      .field("high", c.high.to_double())
      .field("low", c.low.to_double())
      .field("close", c.close.to_double())
      .field("volume", c.volume.to_double());
  json_out data;
  data.field("symbol", u.symbol)
      .field("timeframe", p.timeframe)
      .field("closed", u.closed)
      .field("market_time", trading::format_rfc3339(trading::from_unix_ms(p.market_ms)))
      .raw_field("candle", bar.finish());
  if (u.closed) {
    json_out lines;
    for (const auto& l : u.lines) {
      const double v = l.values.empty() ? NAN : l.values.back();
      if (std::isfinite(v))
        lines.field(l.name, v);
      else
        lines.null_field(l.name);
    }
    data.raw_field("indicators", lines.finish());
  } else {
    data.null_field("indicators");
  }
  return ws_envelope("candles:" + u.symbol, p.at, data.finish());
}

std::string ws_channels_reply(std::string_view type, const std::set<std::string>& channels,
                              trading::timestamp at) {
  std::vector<std::string> names;
  for (const auto& c : channels) {
    names.push_back(nlohmann::json(c).dump());
  }
  json_out data;
  data.raw_array("channels", names);
  return ws_envelope(type, at, data.finish());
}

std::string ws_pong(trading::timestamp at) {
  return ws_envelope("pong", at, "{}");
}

std::string ws_error(errc code, std::string_view message, trading::timestamp at) {
  json_out data;
  data.field("code", to_string(code)).field("message", message);
  return ws_envelope("error", at, data.finish());
}

}  // namespace ct::msg
