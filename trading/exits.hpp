// The price levels that close an open long, and how a price path crosses them. A stop or a
// target behaves like an order resting at the exchange: when the price moves through it, it
// fills at its level; when the price jumps past it (a gap between candles, a first price after
// a restart), it fills where the price is. The trailing stop follows the highest price seen since
// entry. A backtest walks each candle's path (open, low, high, close, or open, high, low, close
// when it fell) through these functions; the live bot walks its ticks. Inline: a backtest calls
// them for every candle of every open position.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "trading/candles.hpp"
#include "trading/money.hpp"
#include "trading/portfolio.hpp"

namespace ct::trading {

/// Where an exit happened and why.
struct exit_hit {
  exit_reason reason = exit_reason::stop_loss;
  price at;
};

class exit_levels {
public:
  exit_levels() = default;
  /// Levels for a long entered at `entry`: a fixed stop and target (0 ppm: none) and a trailing
  /// stop `trailing_ppm` below the high since entry (0: none).
  exit_levels(price entry, std::int64_t stop_loss_ppm, std::int64_t take_profit_ppm,
              std::int64_t trailing_ppm);

  /// The stop in force (the higher of the fixed and the trailing one) and which rule set it.
  std::optional<exit_hit> stop() const {
    if (!has_stop_)
      return std::nullopt;
    return stop_;
  }
  std::optional<price> take_profit() const {
    return has_target_ ? std::optional<price>{target_} : std::nullopt;
  }
  price high_water() const { return high_; }

  /// The price is at `px` without having passed through the levels on the way (a jump).
  std::optional<exit_hit> at_jump(price px) {
    if (has_stop_ && px <= stop_.at)
      return exit_hit{stop_.reason, px};
    if (has_target_ && px >= target_)
      return exit_hit{exit_reason::take_profit, px};
    if (px > high_)
      raise_high(px);
    return std::nullopt;
  }

  /// The price moved continuously from `from` to `to`.
  std::optional<exit_hit> on_move(price from, price to) {
    if (to < from) {
      if (has_stop_ && to <= stop_.at)
        return exit_hit{stop_.reason, from <= stop_.at ? from : stop_.at};
      return std::nullopt;
    }
    if (has_target_ && to >= target_)
      return exit_hit{exit_reason::take_profit, from >= target_ ? from : target_};
    if (to > high_)
      raise_high(to);
    return std::nullopt;
  }

private:
  /// A new high: the trailing stop follows, and takes over once above the fixed stop.
  void raise_high(price px);

  std::optional<price> fixed_stop_;
  std::int64_t trailing_ppm_ = 0;
  price high_;
  price target_;
  bool has_target_ = false;
  bool has_stop_ = false;
  exit_hit stop_;  // the stop in force, when has_stop_
};

/// A candle's price path: open, low, high, close when it rose (or stayed), else open, high, low,
/// close. The simulated exchange's replay moves along the same path.
inline std::array<price, 4> candle_path(const candle& c) {
  if (c.close >= c.open)
    return {c.open, c.low, c.high, c.close};
  return {c.open, c.high, c.low, c.close};
}

}  // namespace ct::trading
