// The price levels that close an open long, and how a price path crosses them. A stop or a
// target behaves like an order resting at the exchange: when the price moves through it, it
// fills at its level; when the price jumps past it (a gap between candles, a first price after
// a restart), it fills where the price is. The trailing stop follows the highest price seen since
// entry. A backtest walks each candle's path (open, low, high, close, or open, high, low, close
// when it fell) through these functions, in the engine (engine.hpp) that the backtester and the
// live bot share. Inline: a backtest calls them for every candle of every open position, and
// sets levels for every trade.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "trading/candles.hpp"
#include "trading/money.hpp"
#include "trading/portfolio.hpp"
#include "trading/rules.hpp"

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
              std::int64_t trailing_ppm)
      : fixed_stop_(stop_loss_price(entry, stop_loss_ppm)), trailing_ppm_(trailing_ppm) {
    if (auto t = take_profit_price(entry, take_profit_ppm)) {
      target_ = *t;
      has_target_ = true;
    }
    if (fixed_stop_) {
      stop_ = exit_hit{exit_reason::stop_loss, *fixed_stop_};
      has_stop_ = true;
    }
    raise_high(entry);
  }

  /// The stop in force (the higher of the fixed and the trailing one) and which rule set it.
  std::optional<exit_hit> stop() const {
    if (!has_stop_)
      return std::nullopt;
    return stop_;
  }
  /// A stop known from before (a position restored after a restart): kept if above the one in
  /// force, as the trailing stop when above the fixed one.
  void resume_stop(price stop);

  std::optional<price> take_profit() const {
    return has_target_ ? std::optional<price>{target_} : std::nullopt;
  }
  price high_water() const { return high_; }

  /// Whether prices within [low, high] touch no level and move no trailing stop; if so, the
  /// high water mark takes `high`.
  bool quiet_within(price low, price high) {
    if ((has_stop_ && low <= stop_.at) || (has_target_ && high >= target_))
      return false;
    if (high <= high_)
      return true;
    if (trailing_ppm_ > 0)
      return false;
    high_ = high;
    return true;
  }

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
  void raise_high(price px) {
    high_ = px;
    if (trailing_ppm_ <= 0)
      return;
    const price trailing = shift_ppm(high_, -trailing_ppm_, rounding::nearest);
    if (!has_stop_ || trailing > stop_.at) {
      stop_ = exit_hit{exit_reason::trailing_stop, trailing};
      has_stop_ = true;
    }
  }

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

/// The first level `c`'s path crosses, if any (the gap at its open is the caller's: at_jump).
inline std::optional<exit_hit> walk_path(exit_levels& levels, const candle& c) {
  // Most candles cross nothing: their range stays between the levels and below the high water
  // mark (open and close lie within [low, high]: the parsers check it).
  if (levels.quiet_within(c.low, c.high))
    return std::nullopt;
  const auto path = candle_path(c);
  for (std::size_t k = 0; k + 1 < path.size(); ++k)
    if (auto hit = levels.on_move(path[k], path[k + 1]))
      return hit;
  return std::nullopt;
}

/// Whether a position that entered at `entry_ms` is past the time limit at `close_ms` (a limit
/// of 0: never).
inline bool past_time_limit(std::int64_t entry_ms, std::int64_t close_ms, std::int64_t limit_ms) {
  return limit_ms > 0 && close_ms - entry_ms >= limit_ms;
}

}  // namespace ct::trading
