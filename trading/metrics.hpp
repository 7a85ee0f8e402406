// Performance metrics of a backtest, from its equity curve and its trades. Conventions (also in
// the README): returns are per point of the equity curve (one per candle step), the first taken
// from the starting cash; Sharpe = mean / sample standard deviation x sqrt(points per year of 365
// days); Sortino = mean / sqrt(mean(min(r, 0)^2)) x the same root; Calmar = CAGR / max drawdown;
// risk-free rate 0. A ratio whose denominator is zero is empty (null in the report).
#pragma once

#include <cstdint>
#include <optional>

#include "trading/record_log.hpp"

namespace ct::trading {

struct equity_point {
  std::int64_t at_ms = 0;  // the close of the candle step
  double equity = 0;
};

struct metrics {
  double total_return_pct = 0;
  std::optional<double> cagr_pct;
  std::optional<double> sharpe;
  std::optional<double> sortino;
  std::optional<double> calmar;
  double max_drawdown_pct = 0;          // from the highest equity so far, starting cash included
  double max_drawdown_duration_s = 0;   // longest time below a previous high
  std::optional<double> profit_factor;  // gross profit / gross loss
  std::optional<double> win_rate_pct;   // trades with a positive P&L
  std::optional<double> expectancy;     // mean P&L per trade, quote currency
  std::uint64_t trades = 0;
  double exposure_pct = 0;  // share of the curve's points with a position open
};

/// The trades' P&L in the quote currency, tallied as they close.
struct trade_tally {
  std::uint64_t count = 0;
  std::uint64_t wins = 0;  // P&L above 0
  double gross_profit = 0;
  double gross_loss = 0;  // positive

  /// Without a branch: whether a trade wins is a coin toss to the branch predictor.
  void add(double pnl) {
    const bool win = pnl > 0;
    ++count;
    wins += win ? 1 : 0;
    gross_profit += win ? pnl : 0.0;
    gross_loss -= win ? 0.0 : pnl;
  }
};

/// `exposed_points` counts the curve's points with a position open; `step_ms` is the candle
/// step; `from_ms` the start (the starting cash's moment), `to_ms` the end.
metrics compute_metrics(double starting_cash, const record_log<equity_point>& curve,
                        const trade_tally& trades, std::uint64_t exposed_points,
                        std::int64_t step_ms, std::int64_t from_ms, std::int64_t to_ms);

}  // namespace ct::trading
