// Strategies that see one closed candle at a time and answer buy, sell or nothing. One instance
// follows one symbol; it holds only incremental indicators (O(1) per candle), so the same code
// runs over ten million candles in a backtest and over the live feed. A strategy never sees a
// candle before it closes: whoever drives it acts on its signal at the next candle's open.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "trading/candles.hpp"
#include "trading/indicators.hpp"
#include "trading/result.hpp"

namespace ct::trading {

enum class signal : unsigned char { none, buy, sell };

const char* to_string(signal s);

/// What a strategy concluded from a candle: the signal and its strength (larger is stronger;
/// buys are entered strongest first when slots are scarce).
struct decision {
  trading::signal signal = signal::none;
  double score = 0;
};

/// Every strategy's parameters; each strategy reads its own.
struct strategy_spec {
  std::string name = "momentum";
  // momentum: the percent change of the close over `momentum_lookback` candles; above
  // +threshold a buy, below -threshold a sell.
  std::size_t momentum_lookback = 10;
  double momentum_threshold_pct = 0.6;
  // sma_crossover and ema_crossover: buy when the fast average crosses above the slow one, sell
  // when it crosses below.
  std::size_t fast_period = 9;
  std::size_t slow_period = 21;
  // rsi_reversion: buy when the RSI falls below `rsi_buy_below`, sell above `rsi_sell_above`.
  std::size_t rsi_period = 14;
  double rsi_buy_below = 30;
  double rsi_sell_above = 70;
};

/// The strategies there are, by name.
const std::vector<std::string>& strategy_names();

/// The parameters `spec.name` reads, with their values, in a fixed order.
std::vector<std::pair<std::string, double>> strategy_params(const strategy_spec& spec);

/// Checks the name and the parameters the strategy reads; errors name the parameter.
result<void> validate(const strategy_spec& spec);

/// One symbol's strategy. Not thread-safe; cheap to create.
class strategy {
public:
  virtual ~strategy() = default;
  /// Takes the candle that just closed; the decision is for the next candle's open.
  virtual decision on_candle(const candle& c) = 0;
  /// Words for a decision it made, for the audit trail ("momentum +0.84% over 10 candles").
  virtual std::string explain(const decision& d) const = 0;
  /// A new instance with the same parameters and no history, for another symbol.
  virtual std::unique_ptr<strategy> fresh() const = 0;
  virtual const char* name() const = 0;
};

/// The strategy `spec` names, validated.
result<std::unique_ptr<strategy>> make_strategy(const strategy_spec& spec);

}  // namespace ct::trading
