// Binance's market streams as data: the combined stream's messages ({"stream":..,"data":..})
// for klines, 24 h tickers and diff depth, and the REST depth snapshot they are synced against.
// Prices and sizes become fixed-point values; anything malformed, too deep or beyond range is
// an error that names what was wrong, never a throw.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "trading/candles.hpp"
#include "trading/order_book.hpp"
#include "trading/result.hpp"

namespace ct::exchange {

/// A kline as the stream shows it: the forming candle as it moves, and once marked closed (x).
struct kline_event {
  std::string symbol;  // Binance's name, "BTCUSDT"
  std::int64_t step_ms = 0;
  trading::candle bar;
  bool closed = false;
};

/// The 24 h rolling ticker: last price, best bid and ask, change and base volume.
struct ticker_event {
  std::string symbol;
  trading::price last;
  trading::price bid;
  trading::price ask;
  double change_pct = 0;
  double volume = 0;
};

/// A diff of the order book: the update ids it spans, [first_id, last_id], and the levels that
/// changed (a size of zero removes a level).
struct depth_event {
  std::string symbol;
  std::int64_t first_id = 0;  // U
  std::int64_t last_id = 0;   // u
  trading::order_book changes;
};

using stream_event = std::variant<kline_event, ticker_event, depth_event>;

/// One message of the combined stream; `step_ms` checks a kline's interval. A message of
/// another kind (a subscription's answer) is an error too: the caller counts and skips it.
result<stream_event> parse_stream_message(const std::string& text);

/// GET /api/v3/depth: the book at `last_update_id`.
struct depth_snapshot {
  std::int64_t last_update_id = 0;
  trading::order_book book;
};

result<depth_snapshot> parse_depth_snapshot(const std::string& body);

/// The combined stream's path for `symbols` (Binance's names): each one's klines of
/// `timeframe`, its 24 h ticker and its diff depth every 100 ms.
std::string stream_path(const std::vector<std::string>& symbols, const std::string& timeframe);

}  // namespace ct::exchange
