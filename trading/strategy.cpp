#include "trading/strategy.hpp"

#include <cmath>
#include <cstdio>

namespace ct::trading {

namespace {

/// `x` with `decimals` digits after the point, and a sign when `sign` is set.
std::string fixed_text(double x, int decimals, bool sign = false) {
  char buf[64];
  if (sign)
    std::snprintf(buf, sizeof buf, "%+.*f", decimals, x);
  else
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

/// A price as a double in its own units: every strategy here compares ratios, so the scale
/// does not matter, and this saves a division per candle.
double raw(price p) {
  return static_cast<double>(p.units());
}

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
    const double x = raw(c.close);
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
    return "momentum " + fixed_text(pct, 2, true) + "% over " + std::to_string(lookback_) +
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
    const double x = raw(c.close);
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
    const auto r = rsi_.update(raw(c.close));
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
      return "RSI " + fixed_text(buy_below_ - d.score, 1) + " below " + fixed_text(buy_below_, 1);
    return "RSI " + fixed_text(sell_above_ + d.score, 1) + " above " + fixed_text(sell_above_, 1);
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

error bad_param(const std::string& name, const std::string& what) {
  return make_error(errc::invalid_value, name + " " + what, "strategy." + name);
}

}  // namespace

const char* to_string(signal s) {
  switch (s) {
    case signal::buy:
      return "buy";
    case signal::sell:
      return "sell";
    case signal::none:
      break;
  }
  return "none";
}

const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names{"momentum", "sma_crossover", "ema_crossover",
                                              "rsi_reversion"};
  return names;
}

std::vector<std::pair<std::string, double>> strategy_params(const strategy_spec& s) {
  auto d = [](std::size_t v) { return static_cast<double>(v); };
  if (s.name == "momentum")
    return {{"momentum_lookback", d(s.momentum_lookback)},
            {"momentum_threshold_pct", s.momentum_threshold_pct}};
  if (s.name == "sma_crossover" || s.name == "ema_crossover")
    return {{"fast_period", d(s.fast_period)}, {"slow_period", d(s.slow_period)}};
  if (s.name == "rsi_reversion")
    return {{"rsi_period", d(s.rsi_period)},
            {"rsi_buy_below", s.rsi_buy_below},
            {"rsi_sell_above", s.rsi_sell_above}};
  return {};
}

result<void> validate(const strategy_spec& s) {
  if (s.name == "momentum") {
    if (s.momentum_lookback < 1 || s.momentum_lookback > 1000)
      return bad_param("momentum_lookback", "must be between 1 and 1000");
    if (!(s.momentum_threshold_pct >= 0))
      return bad_param("momentum_threshold_pct", "must be at least 0");
    return {};
  }
  if (s.name == "sma_crossover" || s.name == "ema_crossover") {
    if (s.fast_period < 1 || s.slow_period > 1000)
      return bad_param("fast_period", "and slow_period must be between 1 and 1000");
    if (s.fast_period >= s.slow_period)
      return bad_param("fast_period",
                       "must be less than slow_period (" + std::to_string(s.slow_period) + ")");
    return {};
  }
  if (s.name == "rsi_reversion") {
    if (s.rsi_period < 1 || s.rsi_period > 1000)
      return bad_param("rsi_period", "must be between 1 and 1000");
    if (!(s.rsi_buy_below >= 0 && s.rsi_buy_below < s.rsi_sell_above && s.rsi_sell_above <= 100))
      return bad_param("rsi_buy_below", "must be below rsi_sell_above, both within 0..100");
    return {};
  }
  std::string known;
  for (const auto& n : strategy_names())
    known += (known.empty() ? "" : ", ") + n;
  return make_error(errc::invalid_value, "unknown strategy '" + s.name + "' (known: " + known + ")",
                    "strategy.name");
}

result<std::unique_ptr<strategy>> make_strategy(const strategy_spec& s) {
  if (auto ok = validate(s); !ok.ok())
    return ok.err();
  std::unique_ptr<strategy> out;
  if (s.name == "momentum")
    out = std::make_unique<momentum_candles>(s);
  else if (s.name == "sma_crossover")
    out = std::make_unique<crossover<sma>>("sma_crossover", s.fast_period, s.slow_period);
  else if (s.name == "ema_crossover")
    out = std::make_unique<crossover<ema>>("ema_crossover", s.fast_period, s.slow_period);
  else
    out = std::make_unique<rsi_reversion>(s);
  return out;
}

}  // namespace ct::trading
