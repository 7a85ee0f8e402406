// `crypto-trading backtest`: reads candle files, builds the settings from the configuration
// (the defaults, --config, --strategy, then each --set), runs the backtester and writes its JSON
// report. Every error names what was wrong: the file and line of a bad candle, the key of a bad
// setting.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "messages/config.hpp"
#include "trading/backtest.hpp"
#include "trading/result.hpp"

namespace ct::app {

struct backtest_args {
  std::vector<std::string> data;
  std::optional<std::string> config_file;
  std::optional<std::string> strategy;
  std::vector<std::string> sets;  // key=value, the key dotted ("risk.stop_loss_pct=2")
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::string report;
};

/// A time given as RFC 3339, a date (YYYY-MM-DD, UTC midnight) or milliseconds since the epoch.
result<std::int64_t> parse_time_arg(const std::string& text, const std::string& flag);

/// The configuration: the defaults, the file, the strategy, then each key=value.
result<msg::config> plan_config(const std::optional<std::string>& config_path,
                                const std::optional<std::string>& strategy,
                                const std::vector<std::string>& sets);

/// What the arguments ask for: the settings, and the symbols to trade (empty: every file's).
struct backtest_plan {
  trading::backtest_settings settings;
  std::vector<std::string> symbols;
};

/// The plan the arguments describe (the configuration file is read, candles are not).
result<backtest_plan> plan_backtest(const backtest_args& a);

/// Runs it all; returns the process's exit status (0, or 2 with a message on stderr).
int run_backtest_command(const backtest_args& a);

}  // namespace ct::app
