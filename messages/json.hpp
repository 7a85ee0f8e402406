// JSON shapes of the API (field names exactly as API.md) and of the timeline's event data.
// Fixed-point amounts render as JSON numbers; times as RFC 3339 strings or null.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "messages/positions.hpp"
#include "messages/scanner.hpp"
#include "messages/timeline.hpp"
#include "trading/exchange.hpp"
#include "trading/portfolio.hpp"

namespace ct::msg {

nlohmann::json time_or_null(const std::optional<trading::timestamp>& t);

template <class Tag>
double number(trading::fixed<Tag> v) {
  return v.to_double();
}

nlohmann::json to_json(const trading::position& p);
nlohmann::json to_json(const trading::opportunity& o);
nlohmann::json to_json(const scan_report& r);
/// An asset of GET /api/assets: symbol, base, quote, price, bid, ask, 24 h figures, tradable.
nlohmann::json asset_json(const trading::ticker& t);
nlohmann::json to_json(const trading::fill& f);

/// {"events":[...],"next_before_seq":..}; each event's data is spliced in verbatim.
std::string render_timeline_page(const timeline_page& page);

/// One event as the API and the WebSocket show it.
std::string render_event(const timeline_event& e);

}  // namespace ct::msg
