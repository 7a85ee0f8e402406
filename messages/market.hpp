// The market feed's messages and the exchange worker's, which runs every call that could block.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/binance.hpp"
#include "messages/config_inspect.hpp"
#include "messages/inspect.hpp"
#include "trading/exchange.hpp"
#include "trading/indicator_lines.hpp"
#include "trading/market.hpp"

namespace ct::msg {

/// Query: every symbol's ticker, with the candles that closed since `since_ms`; when empty, the
/// last `warmup` closed candles (none: the caller only wants prices).
struct fetch_market {
  std::optional<std::int64_t> since_ms;
  std::uint64_t warmup = 0;
};

/// Command: a market order for the exchange (live mode).
struct submit_order {
  std::string symbol;
  trading::order_side side = trading::order_side::buy;
  trading::quantity qty;
};

/// Query (GET /api/candles): `symbol`'s last `limit` closed candles opening before `before_ms`
/// (market time; none: the forming candle), with the running strategy's indicator lines.
struct get_candles {
  std::string symbol;
  std::uint64_t limit = 300;
  std::optional<std::int64_t> before_ms;
};

struct candles_page {
  std::string symbol;
  std::int64_t step_ms = 0;
  std::int64_t market_ms = 0;  // the exchange's clock as it answered
  std::string strategy;        // whose lines these are
  std::vector<trading::candle> candles;
  std::vector<trading::indicator_line> lines;  // one value per candle each
  std::optional<std::int64_t> next_before;     // older candles exist: pass it as before
};

/// What the exchange worker needs to know, sent by the feed whenever it changes.
struct exchange_settings {
  trading::replay_clock clock;
  std::int64_t latency_ms = 0;
  trading::exchange_faults faults;
  std::int64_t spread_ppm = 0;
  std::int64_t fee_ppm = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fetch_market& x) {
  auto since = opt(x.since_ms);
  return f(caf::meta::type_name("fetch_market"), since, x.warmup);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, submit_order& x) {
  return f(caf::meta::type_name("submit_order"), x.symbol, x.side, x.qty);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_candles& x) {
  auto before = opt(x.before_ms);
  return f(caf::meta::type_name("get_candles"), x.symbol, x.limit, before);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candles_page& x) {
  auto next = opt(x.next_before);
  return f(caf::meta::type_name("candles_page"), x.symbol, x.step_ms, x.market_ms, x.strategy,
           x.candles, x.lines, next);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exchange_settings& x) {
  auto& c = x.clock;
  return f(caf::meta::type_name("exchange_settings"), c.loop_start_ms, c.loop_end_ms, c.wall_origin,
           c.origin_offset_ms, c.speed, x.latency_ms, x.faults.failure_rate, x.faults.outage,
           x.spread_ppm, x.fee_ppm);
}

/// Runs each exchange call on its own thread (a detached actor): the latency is real blocking.
using exchange_worker_actor =
    caf::typed_actor<caf::replies_to<fetch_market>::with<trading::ticker_batch>,
                     caf::replies_to<submit_order>::with<trading::fill>,
                     caf::reacts_to<exchange_settings>>;

/// Market feed: time to publish the order books.
using book_tick_atom = caf::atom_constant<caf::atom("book_tick")>;
/// To the market feed: the next book tick sends full snapshots (a new broadcaster has none).
using resync_books_atom = caf::atom_constant<caf::atom("rsync_bk")>;

struct market_feed_peers;  // messages/peers.hpp

using market_feed_actor =
    caf::typed_actor<caf::reacts_to<market_feed_peers>, caf::reacts_to<book_tick_atom>,
                     caf::reacts_to<resync_books_atom>, caf::reacts_to<stream_news>,
                     caf::replies_to<fetch_market>::with<trading::ticker_batch>,
                     caf::replies_to<assets_atom>::with<trading::ticker_batch>,
                     caf::replies_to<get_candles>::with<candles_page>,
                     caf::replies_to<submit_order>::with<trading::fill>,
                     caf::replies_to<apply_config>::with<ok_atom>,
                     caf::replies_to<ping_atom>::with<pong_atom>>;

}  // namespace ct::msg
