// The built-in strategies, as types: make_strategy (strategy.hpp) creates them by name, and the
// backtester runs its hot loop on the concrete type, so that the compiler can inline the
// strategy's step instead of calling it through the interface for every candle.
#pragma once

#include <string>

#include "trading/strategy.hpp"

namespace ct::trading {

namespace detail {

/// `x` with `decimals` digits after the point, and a sign when `sign` is set.
std::string fixed_text(double x, int decimals, bool sign = false);

/// A price as a double in its own units: every strategy here compares ratios, so the scale
/// does not matter, and this saves a division per candle.
inline double raw(price p) {
  return static_cast<double>(p.units());
}

}  // namespace detail

/// The original service's strategy, on candle closes.
class momentum_candles final : public strategy {
public:
  explicit momentum_candles(const strategy_spec& s)
      : lookback_(s.momentum_lookback),
        threshold_(s.momentum_threshold_pct),
        up_(1.0 + threshold_ / 100.0),
        down_(1.0 - threshold_ / 100.0),
        window_(lookback_ + 1) {}

  decision on_candle(const candle& c) override {
    const double x = detail::raw(c.close);
    window_.push(x);
    if (!window_.full())
      return {};
    const double then = window_.back(lookback_);
    // Without branches: on real data half the candles signal, at random, and the mispredicted
    // branch cost more than the division (a fifth of a backtest's time). (1 - r) x 100 is
    // exactly -((r - 1) x 100); buy and sell never hold together, since up_ >= down_.
    const bool buy = x > then * up_;
    const bool sell = x < then * down_;
    const int side = static_cast<int>(buy) - static_cast<int>(sell);
    const double change_pct = (x / then - 1.0) * 100.0;
    return {static_cast<signal>(static_cast<int>(buy) + 2 * static_cast<int>(sell)),
            static_cast<double>(side) * change_pct + 0.0};
  }
  std::string explain(const decision& d) const override {
    const double pct = d.signal == signal::sell ? -d.score : d.score;
    return "momentum " + detail::fixed_text(pct, 2, true) + "% over " + std::to_string(lookback_) +
           " candles";
  }
  std::unique_ptr<strategy> fresh() const override {
    strategy_spec s;
    s.momentum_lookback = lookback_;
    s.momentum_threshold_pct = threshold_;
    return std::make_unique<momentum_candles>(s);
  }
  const char* name() const override { return "momentum"; }

private:
  std::size_t lookback_;
  double threshold_;
  double up_;
  double down_;
  ring window_;  // the last lookback + 1 closes
};

/// Fast and slow moving averages of the close; a signal only on the candle where they cross.
template <class Average>
class crossover final : public strategy {
public:
  crossover(const char* name, std::size_t fast, std::size_t slow)
      : name_(name), fast_period_(fast), slow_period_(slow), fast_(fast), slow_(slow) {}

  decision on_candle(const candle& c) override {
    const double x = detail::raw(c.close);
    const auto f = fast_.update(x);
    const auto s = slow_.update(x);
    if (!f || !s)
      return {};
    const int side = *f > *s ? 1 : (*f < *s ? -1 : 0);
    const int before = side_;
    if (side != 0)
      side_ = side;
    if (before == 0 || side == 0 || side == before)
      return {};  // no cross (the first comparison only sets the side)
    const double spread_pct = (*f / *s - 1.0) * 100.0;
    return side > 0 ? decision{signal::buy, spread_pct} : decision{signal::sell, -spread_pct};
  }
  std::string explain(const decision& d) const override {
    return std::string{"fast average crossed "} + (d.signal == signal::buy ? "above" : "below") +
           " slow (" + std::to_string(fast_period_) + "/" + std::to_string(slow_period_) + ")";
  }
  std::unique_ptr<strategy> fresh() const override {
    return std::make_unique<crossover>(name_, fast_period_, slow_period_);
  }
  const char* name() const override { return name_; }

private:
  const char* name_;
  std::size_t fast_period_;
  std::size_t slow_period_;
  Average fast_;
  Average slow_;
  int side_ = 0;  // +1 fast above slow, -1 below, 0 not known yet
};

/// Mean reversion on the RSI: oversold is a buy, overbought a sell.
class rsi_reversion final : public strategy {
public:
  explicit rsi_reversion(const strategy_spec& s)
      : period_(s.rsi_period),
        buy_below_(s.rsi_buy_below),
        sell_above_(s.rsi_sell_above),
        rsi_(period_) {}

  decision on_candle(const candle& c) override {
    const auto r = rsi_.update(detail::raw(c.close));
    if (!r)
      return {};
    if (*r < buy_below_)
      return {signal::buy, buy_below_ - *r};
    if (*r > sell_above_)
      return {signal::sell, *r - sell_above_};
    return {};
  }
  std::string explain(const decision& d) const override {
    if (d.signal == signal::buy)
      return "RSI " + detail::fixed_text(buy_below_ - d.score, 1) + " below " +
             detail::fixed_text(buy_below_, 1);
    return "RSI " + detail::fixed_text(sell_above_ + d.score, 1) + " above " +
           detail::fixed_text(sell_above_, 1);
  }
  std::unique_ptr<strategy> fresh() const override {
    strategy_spec s;
    s.rsi_period = period_;
    s.rsi_buy_below = buy_below_;
    s.rsi_sell_above = sell_above_;
    return std::make_unique<rsi_reversion>(s);
  }
  const char* name() const override { return "rsi_reversion"; }

private:
  std::size_t period_;
  double buy_below_;
  double sell_above_;
  rsi rsi_;
};

}  // namespace ct::trading
