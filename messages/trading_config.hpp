// What the configuration means to the trading library: the strategy it names with its
// parameters, and the position rules. One mapping, used by the position manager, the scanner
// and the backtester alike.
#pragma once

#include "messages/config.hpp"
#include "trading/backtest.hpp"
#include "trading/result.hpp"
#include "trading/rules.hpp"
#include "trading/strategy.hpp"

namespace ct::msg {

trading::strategy_spec strategy_of(const config& c);

trading::risk_rules rules_of(const config& c);

/// Strategy, rules and starting cash for a backtest of `c`.
trading::backtest_settings backtest_settings_of(const config& c);

/// What the running bot cannot do yet, as an invalid_value error naming the key: strategies
/// other than momentum run in backtests only (README, "What is not there yet").
result<void> check_live_support(const config& c);

}  // namespace ct::msg
