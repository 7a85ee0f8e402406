// The risk rules' settings, and the arithmetic of their levels and of a paper fill: the
// engine (engine.hpp), the backtester and the paper fills share them.
#pragma once

#include <cstdint>
#include <optional>

#include "trading/exchange.hpp"
#include "trading/portfolio.hpp"

namespace ct::trading {

struct risk_rules {
  std::size_t max_positions = 5;
  money stake_amount;                // quote currency spent per entry, before fees
  std::int64_t take_profit_ppm = 0;  // 0: no target
  std::int64_t stop_loss_ppm = 0;    // 0: no stop
  std::int64_t fee_ppm = 0;
  std::int64_t slippage_ppm = 0;
  std::int64_t trailing_stop_ppm = 0;  // 0: none; else the stop follows the high this far below
  std::int64_t time_limit_ms = 0;      // 0: none; else a position closes once this old
  std::int64_t cooldown_ms = 0;        // after an exit, no new entry on that symbol this long
  std::int64_t max_drawdown_ppm = 0;   // 0: none; else new entries halt past this drawdown
};

// Inline, like the fee below: a backtest calls them for each of up to millions of trades.
inline std::optional<price> stop_loss_price(price entry, std::int64_t stop_loss_ppm) {
  if (stop_loss_ppm <= 0)
    return std::nullopt;
  return shift_ppm(entry, -stop_loss_ppm, rounding::nearest);
}

inline std::optional<price> take_profit_price(price entry, std::int64_t take_profit_ppm) {
  if (take_profit_ppm <= 0)
    return std::nullopt;
  return shift_ppm(entry, take_profit_ppm, rounding::nearest);
}

/// A paper fill pays the touch plus slippage: the ask rounded up for a buy, the bid (or the
/// level of a stop, a target or a gap) rounded down for a sell, at least one unit.
inline price buy_price(price ask, std::int64_t slippage_ppm) {
  return shift_ppm(ask, slippage_ppm, rounding::up);
}
inline price sell_price(price bid, std::int64_t slippage_ppm) {
  const price px = shift_ppm(bid, -slippage_ppm, rounding::down);
  return px.is_positive() ? px : price::from_units(1);
}
inline price paper_fill_price(order_side side, const quote& q, std::int64_t slippage_ppm) {
  return side == order_side::buy ? buy_price(q.ask, slippage_ppm) : sell_price(q.bid, slippage_ppm);
}

/// The fee on price x quantity, rounded up.
inline money fee_for(price px, quantity qty, std::int64_t fee_ppm) {
  return part_ppm(notional(px, qty, rounding::up), fee_ppm, rounding::up);
}

}  // namespace ct::trading
