// Walk-forward scoring of one parameter set (a trial): the range is cut into K+1 equal
// consecutive windows; fold i trains on window i and tests on window i+1, which that fold's
// training never saw. Each window is one backtest with the warm-up candles before it, so a
// trial runs K+1 backtests (window i+1 tests fold i and trains fold i+1: run once, used twice).
// In-sample score: the objective's mean over the training windows; out-of-sample: over the test
// windows. With K = 1 the whole range is one window, scored in-sample only. Pure.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trading/backtest.hpp"
#include "trading/metrics.hpp"
#include "trading/result.hpp"

namespace ct::trading {

/// Candles opening in [from_ms, to_ms).
struct span {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
};

struct fold {
  span train;
  std::optional<span> test;  // none with one fold
};

/// The K+1 windows of `data` (every series' range together), on candle boundaries; the last
/// takes what the division leaves. Errors: no candles, fewer candle steps than windows.
result<std::vector<span>> walk_forward_windows(const std::vector<candle_series>& data,
                                               std::size_t folds);

/// Fold i: train on window i, test on window i+1 (one fold: train on the only window).
std::vector<fold> folds_of(const std::vector<span>& windows);

enum class objective : unsigned char { sharpe, sortino, calmar, total_return_pct, profit_factor };

const std::vector<std::string>& objective_names();
std::optional<objective> objective_named(const std::string& name);
const char* to_string(objective o);
std::optional<double> objective_value(const metrics& m, objective o);

/// One window's backtest.
struct window_result {
  span window;
  metrics m;
};

/// The mean of the objective over `windows` [first, last) of `runs`; nothing when any window's
/// metric is null, or their trades add up to fewer than `min_trades`.
std::optional<double> side_score(const std::vector<window_result>& runs, std::size_t first,
                                 std::size_t last, objective o, std::uint64_t min_trades);

/// A trial's backtests and scores. `train` and `test` index `runs`.
struct trial_score {
  std::vector<window_result> runs;  // one per window
  std::optional<double> in_sample;
  std::optional<double> out_of_sample;  // none with one fold
  std::uint64_t candle_evals = 0;       // candles the trial's strategy and rules went through
  bool cancelled = false;
};

struct scoring {
  objective goal = objective::sharpe;
  std::uint64_t min_trades = 10;
};

/// Runs `settings` (its own from/to ignored) on each window and scores it. A set cancel flag
/// stops it, cancelled. Errors: those of run_backtest (a window with no candle of any symbol).
result<trial_score> score_trial(const std::vector<candle_series>& data, backtest_settings settings,
                                const std::vector<span>& windows, const scoring& how,
                                const std::atomic<bool>* cancel);

/// The score a search ranks by: out-of-sample with folds, else in-sample.
std::optional<double> rank_score(const trial_score& s);

/// Whether `a` ranks above `b`: the higher rank score (none last), then the higher in-sample
/// score, then the earlier trial. A total order: any number of jobs ranks alike.
bool ranks_before(const trial_score& a, std::uint64_t a_trial, const trial_score& b,
                  std::uint64_t b_trial);

}  // namespace ct::trading
