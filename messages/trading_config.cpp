#include "messages/trading_config.hpp"

#include <stdexcept>

namespace ct::msg {

namespace {

std::int64_t minutes_ms(std::int64_t m) {
  return m * 60'000;
}

}  // namespace

trading::strategy_spec strategy_of(const config& c) {
  trading::strategy_spec s;
  s.name = c.strategy.name;
  s.momentum_lookback = static_cast<std::size_t>(c.strategy.momentum_lookback);
  s.momentum_threshold_pct = c.strategy.momentum_threshold_pct;
  s.fast_period = static_cast<std::size_t>(c.strategy.fast_period);
  s.slow_period = static_cast<std::size_t>(c.strategy.slow_period);
  s.rsi_period = static_cast<std::size_t>(c.strategy.rsi_period);
  s.rsi_buy_below = c.strategy.rsi_buy_below;
  s.rsi_sell_above = c.strategy.rsi_sell_above;
  return s;
}

trading::risk_rules rules_of(const config& c) {
  trading::risk_rules r;
  r.max_positions = static_cast<std::size_t>(c.max_positions);
  r.stake_amount = trading::money::from_double(c.stake_amount);
  r.take_profit_ppm = trading::pct_to_ppm(c.risk.take_profit_pct);
  r.stop_loss_ppm = trading::pct_to_ppm(c.risk.stop_loss_pct);
  r.fee_ppm = trading::pct_to_ppm(c.paper.fee_pct);
  r.slippage_ppm = trading::pct_to_ppm(c.paper.slippage_pct);
  r.trailing_stop_ppm = trading::pct_to_ppm(c.risk.trailing_stop_pct);
  r.time_limit_ms = minutes_ms(c.risk.time_limit_min);
  r.cooldown_ms = minutes_ms(c.risk.cooldown_min);
  r.max_drawdown_ppm = trading::pct_to_ppm(c.risk.max_drawdown_pct);
  return r;
}

trading::backtest_settings backtest_settings_of(const config& c) {
  trading::backtest_settings s;
  s.strategy = strategy_of(c);
  s.rules = rules_of(c);
  s.starting_cash = trading::money::from_double(c.starting_cash);
  s.warmup_candles = static_cast<std::size_t>(c.strategy.warmup_candles);
  return s;
}

trading::signal_tracker signal_tracker_of(const config& c) {
  auto strat = trading::make_strategy(strategy_of(c));
  // The configuration was validated with the same rules: a failure here is a bug.
  if (!strat.ok())
    throw std::logic_error("invalid strategy in a validated configuration: " + strat.err().message);
  return trading::signal_tracker{std::move(strat.value())};
}

bool same_strategy(const config& a, const config& b) {
  const auto x = strategy_of(a);
  const auto y = strategy_of(b);
  return x.name == y.name && trading::strategy_params(x) == trading::strategy_params(y) &&
         a.strategy.warmup_candles == b.strategy.warmup_candles;
}

}  // namespace ct::msg
