// The simulated exchange: quotes from a replayed market, market orders filled at the touch, and
// injected faults (a failure rate, an outage) so that recovery can be seen and tested. The
// latency it simulates is the caller's to wait out: this class never blocks. Not thread-safe:
// one owner (the exchange worker actor).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "trading/market.hpp"
#include "trading/money.hpp"
#include "trading/result.hpp"
#include "trading/time.hpp"

namespace ct::trading {

/// One symbol's market as the exchange shows it.
struct ticker {
  std::string symbol;
  quote q;
  bool tradable = true;  // listed and enabled for trading
  price open;            // the forming candle's open
  /// The candles that closed since the time the caller asked from, oldest first (a klines call
  /// on a real exchange).
  std::vector<candle> closed;
};

/// Every symbol at one moment. Times are market times, which only move forward; `epoch` counts
/// the replay's laps (its candles come again, shifted, after each).
struct ticker_batch {
  timestamp at{};
  std::int64_t market_ms = 0;
  std::uint64_t epoch = 0;
  std::int64_t step_ms = 0;    // the candles' interval
  std::int64_t candle_ms = 0;  // the forming candle's open
  /// What the candles were asked from; empty for a warm-up (the candles are history, not news).
  std::optional<std::int64_t> since_ms;
  std::vector<ticker> tickers;
  /// A real exchange's request weight in use this minute and its limit (0: none reported).
  std::int64_t weight_used = 0;
  std::int64_t weight_limit = 0;
};

/// At most this many closed candles per symbol in one batch: a caller that fell further behind
/// catches up over the next fetches.
inline constexpr std::size_t max_candles_per_fetch = 1000;

enum class order_side { buy, sell };

const char* to_string(order_side s);

/// An executed order.
struct fill {
  std::string order_id;
  std::string symbol;
  order_side side = order_side::buy;
  quantity qty;
  price px;
  money fee;
  timestamp at{};
};

/// What can go wrong, set from configuration.
struct exchange_faults {
  double failure_rate = 0;  // probability that a call fails, 0..1
  bool outage = false;      // every call fails
};

class simulated_exchange {
public:
  simulated_exchange(std::shared_ptr<const market_data> market, replay_clock clock,
                     std::int64_t spread_ppm, std::int64_t fee_ppm, std::uint64_t seed);

  void set_faults(exchange_faults f) { faults_ = f; }
  void set_spread_ppm(std::int64_t ppm) { spread_ppm_ = ppm; }
  void set_fee_ppm(std::int64_t ppm) { fee_ppm_ = ppm; }
  void set_clock(replay_clock c) { clock_ = c; }
  const replay_clock& clock() const { return clock_; }
  const market_data& market() const { return *market_; }

  /// Every symbol's quote at wall time `now` with the candles that closed since `since_ms`
  /// (when empty: the last `warmup` closed candles), or `exchange_unavailable`.
  result<ticker_batch> fetch_tickers(timestamp now, std::optional<std::int64_t> since_ms = {},
                                     std::uint64_t warmup = 0);

  /// A market order filled at the ask (buy) or bid (sell) with the exchange's fee.
  result<fill> place_market_order(const std::string& symbol, order_side side, quantity qty,
                                  timestamp now);

private:
  std::optional<error> injected_failure();

  std::shared_ptr<const market_data> market_;
  replay_clock clock_;
  std::int64_t spread_ppm_;
  std::int64_t fee_ppm_;
  exchange_faults faults_;
  std::mt19937_64 rng_;
  std::uint64_t orders_ = 0;
};

}  // namespace ct::trading
