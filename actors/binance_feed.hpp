// The market feed on Binance's live market: the same interface as the replay's feed
// (market_feed.hpp), so the scanner, the position manager, the broadcaster and the API do not
// know which market they see. Candles come from the kline stream (a candle counts once Binance
// marks it closed) after a warm-up from REST klines, which also fill any gap a reconnect left;
// prices, bid/ask and 24 h figures from the 24 h ticker stream; order books from a REST
// snapshot and the diff stream (exchange/binance_book.hpp). While the stream is down every
// fetch answers exchange_unavailable with why, so the scanner reports it (exchange_state on
// /api/status and /health, exchange_error on the timeline) instead of trading on stale prices.
// Orders: paper fills happen in the position manager on these prices; live orders are refused
// here until the signed order path lands.
#pragma once

#include <deque>
#include <memory>
#include <optional>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/binance_stream.hpp"
#include "actors/interruptible_sleep.hpp"
#include "exchange/binance_book.hpp"
#include "messages/binance.hpp"
#include "messages/market.hpp"
#include "messages/peers.hpp"

namespace ct::actors {

struct binance_feed_deps {
  std::shared_ptr<const msg::binance_market> market;
  std::shared_ptr<const trading::clock> clock;
  msg::market_feed_peers peers;
};

/// One symbol as the stream shows it.
struct live_symbol {
  std::string name;                    // BTC-USDT
  std::string binance;                 // BTCUSDT
  std::deque<trading::candle> closed;  // oldest first, bounded
  std::optional<trading::candle> forming;
  std::optional<exchange::ticker_event> ticker;
  exchange::book_sync book;
  bool snapshot_asked = false;
  trading::timestamp snapshot_not_before{};  // after a failed snapshot: not asked again before
  bool filling = false;                      // klines asked of REST, not answered yet
  bool warmed = false;                       // the REST warm-up arrived
  trading::order_book published;             // the top levels as last published
  bool publish_full = true;
  std::int64_t candle_sent = 0;  // the last closed candle published
  bool forming_changed = false;
};

struct binance_feed_state {
  static inline const char* name = "market_feed";
  binance_feed_deps deps;
  msg::config cfg;
  std::vector<live_symbol> symbols;
  msg::binance_rest_actor rest;
  std::shared_ptr<interruptible_sleep> sleeper;  // the REST worker's waits
  std::shared_ptr<binance_stream> stream;
  bool connected = false;
  std::string down_why = "connecting to Binance's stream";
  std::uint64_t disconnects = 0;
  trading::timestamp forming_sent_at{};
  msg::weight_in_use weight;  // as the REST worker's last answer said
};

msg::market_feed_actor::behavior_type binance_feed(
    msg::market_feed_actor::stateful_pointer<binance_feed_state> self, binance_feed_deps deps,
    msg::config cfg);

}  // namespace ct::actors
