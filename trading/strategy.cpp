#include "trading/strategy.hpp"

#include <cmath>
#include <cstdio>

#include "trading/strategies.hpp"

namespace ct::trading {

namespace detail {

/// `x` with `decimals` digits after the point, and a sign when `sign` is set.
std::string fixed_text(double x, int decimals, bool sign) {
  char buf[64];
  if (sign)
    std::snprintf(buf, sizeof buf, "%+.*f", decimals, x);
  else
    std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

}  // namespace detail

namespace {

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
