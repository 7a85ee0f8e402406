// What the configuration means to the trading library: the strategy it names with its
// parameters, and the position rules. One mapping, used by the position manager, the scanner
// and the backtester alike.
#pragma once

#include "messages/config.hpp"
#include "trading/backtest.hpp"
#include "trading/result.hpp"
#include "trading/rules.hpp"
#include "trading/signals.hpp"
#include "trading/strategy.hpp"

namespace ct::msg {

trading::strategy_spec strategy_of(const config& c);

trading::risk_rules rules_of(const config& c);

/// Strategy, rules and starting cash for a backtest of `c`.
trading::backtest_settings backtest_settings_of(const config& c);

/// The live bot's signals: one instance of the strategy `c` names per symbol.
trading::signal_tracker signal_tracker_of(const config& c);

/// Whether `a` and `b` name the same strategy with the same parameters.
bool same_strategy(const config& a, const config& b);

}  // namespace ct::msg
