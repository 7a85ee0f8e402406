// Walk-forward windows and scoring: windows never overlap and tile the range, a fold's test
// window comes after its training window, each window's metrics are those of a backtest of that
// window alone, and the ranking is a total order.
#include "trading/walk_forward.hpp"

#include <gtest/gtest.h>

#include "bundled_market.hpp"
#include "candle_builders.hpp"

namespace ct::trading {
namespace {

std::vector<candle_series> bundled() {
  return test::bundled_series();
}

backtest_settings crossover(std::size_t fast, std::size_t slow) {
  backtest_settings s;
  s.strategy.name = "sma_crossover";
  s.strategy.fast_period = fast;
  s.strategy.slow_period = slow;
  s.warmup_candles = 100;
  s.rules.stake_amount = money::from_double(0.1);
  s.rules.fee_ppm = 1000;
  return s;
}

TEST(WalkForwardTest, WindowsTileTheRangeWithoutOverlap) {
  const auto data = bundled();
  auto w = walk_forward_windows(data, 4);
  ASSERT_TRUE(w.ok()) << w.err().message;
  const auto& windows = w.value();
  ASSERT_EQ(windows.size(), 5u);
  std::int64_t first = data.front().candles.front().open_time_ms;
  std::int64_t end = 0;
  for (const auto& s : data) {
    first = std::min(first, s.candles.front().open_time_ms);
    end = std::max(end, s.candles.back().open_time_ms + s.step_ms);
  }
  EXPECT_EQ(windows.front().from_ms, first);
  EXPECT_EQ(windows.back().to_ms, end);
  for (std::size_t i = 0; i < windows.size(); ++i) {
    EXPECT_LT(windows[i].from_ms, windows[i].to_ms);
    EXPECT_EQ((windows[i].from_ms - first) % test::step_5m, 0) << "on a candle boundary";
    if (i + 1 < windows.size()) {
      EXPECT_EQ(windows[i].to_ms, windows[i + 1].from_ms) << "consecutive, no overlap";
      EXPECT_EQ(windows[i].to_ms - windows[i].from_ms, windows[0].to_ms - windows[0].from_ms);
    }
  }
}

TEST(WalkForwardTest, EachFoldTestsOnWhatItsTrainingNeverSaw) {
  auto w = walk_forward_windows(bundled(), 3);
  ASSERT_TRUE(w.ok());
  const auto folds = folds_of(w.value());
  ASSERT_EQ(folds.size(), 3u);
  for (const auto& f : folds) {
    ASSERT_TRUE(f.test.has_value());
    EXPECT_LE(f.train.to_ms, f.test->from_ms) << "the test window starts after training ends";
  }
}

TEST(WalkForwardTest, OneFoldIsTheWholeRangeInSample) {
  auto w = walk_forward_windows(bundled(), 1);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w.value().size(), 1u);
  const auto folds = folds_of(w.value());
  ASSERT_EQ(folds.size(), 1u);
  EXPECT_FALSE(folds.front().test.has_value());
}

TEST(WalkForwardTest, TooFewCandlesForTheFoldsIsAnError) {
  const std::vector<candle_series> data{test::flat_series("A-B", {1, 2, 3, 4})};
  auto w = walk_forward_windows(data, 4);
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.err().message.find("5 windows"), std::string::npos) << w.err().message;
  EXPECT_FALSE(walk_forward_windows({}, 2).ok());
}

TEST(WalkForwardTest, EachWindowScoresAsItsOwnBacktest) {
  const auto data = bundled();
  auto w = walk_forward_windows(data, 4);
  ASSERT_TRUE(w.ok());
  auto scored = score_trial(data, crossover(5, 30), w.value(), {objective::sharpe, 1}, nullptr);
  ASSERT_TRUE(scored.ok()) << scored.err().message;
  const auto& s = scored.value();
  ASSERT_EQ(s.runs.size(), 5u);
  std::uint64_t candles = 0;
  double in_sum = 0;
  double out_sum = 0;
  for (std::size_t i = 0; i < s.runs.size(); ++i) {
    auto alone = crossover(5, 30);
    alone.from_ms = w.value()[i].from_ms;
    alone.to_ms = w.value()[i].to_ms;
    auto r = run_backtest(data, alone);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(s.runs[i].m.sharpe, r.value().metrics.sharpe) << "window " << i;
    EXPECT_EQ(s.runs[i].m.trades, r.value().metrics.trades) << "window " << i;
    EXPECT_EQ(s.runs[i].m.total_return_pct, r.value().metrics.total_return_pct);
    candles += r.value().candles;
    ASSERT_TRUE(r.value().metrics.sharpe.has_value());
    in_sum += i < 4 ? *r.value().metrics.sharpe : 0.0;
    out_sum += i > 0 ? *r.value().metrics.sharpe : 0.0;
  }
  EXPECT_EQ(s.candle_evals, candles);
  ASSERT_TRUE(s.in_sample && s.out_of_sample);
  EXPECT_DOUBLE_EQ(*s.in_sample, in_sum / 4);
  EXPECT_DOUBLE_EQ(*s.out_of_sample, out_sum / 4);
}

TEST(WalkForwardTest, TooFewTradesOrANullMetricScoresNothing) {
  std::vector<window_result> runs(2);
  runs[0].m.sharpe = 1.0;
  runs[0].m.trades = 4;
  runs[1].m.sharpe = 3.0;
  runs[1].m.trades = 6;
  EXPECT_EQ(side_score(runs, 0, 2, objective::sharpe, 10), 2.0);
  EXPECT_EQ(side_score(runs, 0, 2, objective::sharpe, 11), std::nullopt);
  runs[1].m.sharpe.reset();
  EXPECT_EQ(side_score(runs, 0, 2, objective::sharpe, 0), std::nullopt);
  EXPECT_EQ(side_score(runs, 0, 1, objective::sharpe, 0), 1.0);
}

TEST(WalkForwardTest, RankingIsATotalOrder) {
  trial_score a;
  a.runs.resize(2);
  a.out_of_sample = 1.0;
  a.in_sample = 0.5;
  trial_score b = a;
  b.in_sample = 0.7;  // same out-of-sample, better in-sample
  trial_score none = a;
  none.out_of_sample.reset();
  EXPECT_TRUE(ranks_before(b, 9, a, 1));
  EXPECT_FALSE(ranks_before(a, 1, b, 9));
  EXPECT_TRUE(ranks_before(a, 1, a, 2)) << "ties go to the earlier trial";
  EXPECT_FALSE(ranks_before(a, 2, a, 1));
  EXPECT_FALSE(ranks_before(a, 1, a, 1));
  EXPECT_TRUE(ranks_before(a, 5, none, 1)) << "nothing ranks last";
}

TEST(WalkForwardTest, ObjectivesByName) {
  for (const auto& n : objective_names())
    EXPECT_EQ(to_string(*objective_named(n)), n);
  EXPECT_FALSE(objective_named("sharp").has_value());
  metrics m;
  m.total_return_pct = 2.5;
  m.profit_factor = 1.25;
  EXPECT_EQ(objective_value(m, objective::total_return_pct), 2.5);
  EXPECT_EQ(objective_value(m, objective::profit_factor), 1.25);
  EXPECT_EQ(objective_value(m, objective::calmar), std::nullopt);
}

TEST(WalkForwardTest, ACancelledTrialStops) {
  const auto data = bundled();
  auto w = walk_forward_windows(data, 2);
  ASSERT_TRUE(w.ok());
  const std::atomic<bool> cancel{true};
  auto s = score_trial(data, crossover(5, 30), w.value(), {}, &cancel);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s.value().cancelled);
  EXPECT_EQ(s.value().candle_evals, 0u);
}

}  // namespace
}  // namespace ct::trading
