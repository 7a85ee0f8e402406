// The backtester: candle series of several symbols on one clock, one strategy instance per
// symbol, the position rules of rules.hpp and exits.hpp, paper fills. For each candle step:
//   1. at each symbol's open: stops and targets the price jumped past fill at the open, then a
//      pending sell signal exits, then pending buys enter, strongest first, while the rules allow
//      (max positions, cooldown, the drawdown halt, cash);
//   2. along each candle's path, stops, trailing stops and targets fill at their level;
//   3. at the close: the time limit, then the strategy sees the candle (its signal waits for
//      the next open: no look-ahead);
//   4. one equity point: cash plus the open positions at their closes.
// Before the first step, each strategy sees the warm-up candles before the range; the last one's
// signal acts at the first open.
// A symbol's last candle closes what it still holds (`end_of_data`), so the curve's last point
// is the final equity and every trade is in the report. Pure and single-threaded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "trading/candles.hpp"
#include "trading/metrics.hpp"
#include "trading/money.hpp"
#include "trading/portfolio.hpp"
#include "trading/record_log.hpp"
#include "trading/result.hpp"
#include "trading/rules.hpp"
#include "trading/strategy.hpp"

namespace ct::trading {

struct backtest_settings {
  strategy_spec strategy;
  risk_rules rules;
  money starting_cash = money::from_units(fixed_scale);
  std::optional<std::int64_t> from_ms;  // candles opening at or after
  std::optional<std::int64_t> to_ms;    // candles opening before
  /// Candles before `from_ms` (as many as there are, up to this) that each strategy sees first,
  /// without trading, so that it can signal from the first candle on (as the live bot's
  /// strategies see the last candles before it starts).
  std::size_t warmup_candles = 0;
  /// Replays the data this many times end to end on one clock (the benchmark's ten million
  /// candles from the bundled ones, without copying them).
  std::uint64_t loops = 1;
  /// Called every 2^20 candles and at the end, with candles done and the total.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  /// Checked with the progress: when set, the run stops and says it was cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

/// 64 bytes: a backtest can make millions (cost and proceeds follow from price and quantity).
struct trade {
  std::uint32_t symbol = 0;  // index into backtest_result::symbols
  trading::exit_reason exit_reason = exit_reason::signal;
  std::int64_t entry_ms = 0;
  std::int64_t exit_ms = 0;
  price entry_price;
  price exit_price;
  quantity qty;
  money entry_fee;
  money exit_fee;

  money cost() const { return notional(entry_price, qty, rounding::up); }
  money proceeds() const { return notional(exit_price, qty, rounding::down); }
  money fee() const { return entry_fee + exit_fee; }
  money pnl() const { return proceeds() - cost() - fee(); }
};
static_assert(sizeof(trade) == 64, "a trade is one cache line");

struct series_gap {
  std::string symbol;
  candle_gap gap;
};

struct backtest_result {
  std::vector<std::string> symbols;
  std::int64_t step_ms = 0;
  std::int64_t from_ms = 0;  // the first candle's open
  std::int64_t to_ms = 0;    // the last candle's close
  std::uint64_t candles = 0;
  money starting_cash;
  money final_equity;
  record_log<trade> trades;               // in exit order
  record_log<equity_point> equity_curve;  // reserved whole before the run
  std::uint64_t exposed_points = 0;       // curve points with a position open
  std::vector<series_gap> gaps;
  std::optional<std::int64_t> halted_at_ms;  // when the drawdown halt stopped new entries
  bool cancelled = false;
  double elapsed_s = 0;
  trading::metrics metrics;
};

/// The series of `symbols`, in that order (all of them when empty); an error names a symbol
/// none of them holds.
result<std::vector<candle_series>> select_series(std::vector<candle_series> all,
                                                 const std::vector<std::string>& symbols);

/// The candles of `series` a run of `s` sees: those opening in [from, to), as [begin, end).
std::pair<const candle*, const candle*> backtest_range(const candle_series& series,
                                                       const backtest_settings& s);

/// The candles a run of `settings` would see (its range, times its loops).
std::uint64_t candles_to_backtest(const std::vector<candle_series>& data,
                                  const backtest_settings& settings);

/// What makes `data` and `settings` unfit to run, the strategy aside: no series, differing
/// timeframes, from not before to, no loop.
std::optional<error> check_backtest_data(const std::vector<candle_series>& data,
                                         const backtest_settings& settings);

/// What makes `data` and `settings` unfit to run, before anything runs: check_backtest_data's
/// reasons, an invalid strategy. run_backtest checks the same.
std::optional<error> check_backtest(const std::vector<candle_series>& data,
                                    const backtest_settings& settings);

/// Runs the strategy `settings.strategy` names. Errors: those of check_backtest, no candle in
/// [from, to). A run whose cancel flag is already set when it starts does nothing, cancelled.
result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings);

/// Runs copies of `prototype` (fresh() per symbol); for strategies the settings cannot name.
result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings, const strategy& prototype);

}  // namespace ct::trading
