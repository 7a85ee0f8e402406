// The WebSocket's messages as JSON: every one is {"type","at","data"}.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "messages/status_json.hpp"
#include "messages/ws.hpp"
#include "trading/errc.hpp"

namespace ct::msg {

/// {"type":type,"at":at,"data":data}; `data` is already JSON.
std::string ws_envelope(std::string_view type, trading::timestamp at, std::string_view data);

std::string ws_hello(const publish_status& s, const status_context& ctx, trading::timestamp at);
std::string ws_status(const publish_status& s, const status_context& ctx);
std::string ws_positions(const publish_status& s);
std::string ws_timeline(const timeline_event& e);
std::string ws_ticker(const trading::ticker_batch& b);

/// An order-book message on channel orderbook:<symbol>: the whole book when `snapshot`, else
/// the changed levels (size 0: removed); `update_id` follows `prev_update_id` without gaps.
std::string ws_book(const std::string& symbol, const trading::order_book& levels,
                    std::uint64_t update_id, bool snapshot, std::int64_t market_ms,
                    trading::timestamp at);

/// A candle message on channel candles:<symbol>: a closed candle with the strategy's values at
/// it (`indicators`, null while one warms up), or the forming candle (`indicators` null).
std::string ws_candle(const candle_update& u, const publish_candles& p);

/// subscribed / unsubscribed: {"channels":[every channel now subscribed]}.
std::string ws_channels_reply(std::string_view type, const std::set<std::string>& channels,
                              trading::timestamp at);
std::string ws_pong(trading::timestamp at);
std::string ws_error(errc code, std::string_view message, trading::timestamp at);

}  // namespace ct::msg
