// The market feed owns the simulated exchange: it replays real candles on an accelerated clock
// and serves tickers (fresh, for the scanner; cached, for /api/assets) and orders (live mode),
// and streams each symbol's order book and candles (closed, and the forming one as it moves) to
// the broadcaster every stream.book_interval_ms.
// Every exchange call runs in its exchange worker, a detached actor, so a slow or failing
// exchange never blocks this actor, the scanner or the API. Crash-only: a restarted feed resumes
// the replay at the market time the store committed, and its caches fill at the next fetch.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/interruptible_sleep.hpp"
#include "messages/market.hpp"
#include "messages/peers.hpp"
#include "trading/market.hpp"
#include "trading/order_book.hpp"

namespace ct::actors {

struct market_feed_deps {
  std::shared_ptr<const trading::market_data> market;
  std::shared_ptr<const trading::clock> clock;
  /// The market time the store last committed: the replay resumes there (at start-up after a
  /// stop, a crash or kill -9, and after a restart of the feed alone), so market time never runs
  /// back behind anything acknowledged.
  std::optional<std::int64_t> resume_ms;
  bool detached_worker = true;   // tests run the worker on the test scheduler
  msg::market_feed_peers peers;  // as at its spawn; the supervisor sends changes
};

struct market_feed_state {
  static inline const char* name = "market_feed";
  market_feed_deps deps;
  msg::config cfg;
  trading::replay_clock replay;
  msg::exchange_worker_actor worker;
  std::shared_ptr<interruptible_sleep> sleeper;      // interrupted when the feed terminates
  std::map<std::string, trading::order_book> books;  // as last published
  std::vector<std::int64_t> candle_sent;      // by symbol: the forming candle's open, as published
  trading::timestamp forming_sent_at{};       // forming candles last published
  std::optional<trading::ticker_batch> last;  // for /api/assets, until the next fetch
};

msg::market_feed_actor::behavior_type market_feed(
    msg::market_feed_actor::stateful_pointer<market_feed_state> self, market_feed_deps deps,
    msg::config cfg);

}  // namespace ct::actors
