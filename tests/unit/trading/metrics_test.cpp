#include "trading/metrics.hpp"

#include <cmath>

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

TEST(MetricsTest, TheTallyCountsAZeroAsALoss) {
  trade_tally t;
  for (const double p : {3.0, -1.0, 0.0, 2.0, -4.0})
    t.add(p);
  EXPECT_EQ(t.count, 5u);
  EXPECT_EQ(t.wins, 2u);
  EXPECT_EQ(t.gross_profit, 5.0);
  EXPECT_EQ(t.gross_loss, 5.0);
  const auto m = compute_metrics(100, {{60'000, 100}}, t, 0, 60'000, 0, 60'000);
  EXPECT_EQ(m.trades, 5u);
  EXPECT_EQ(*m.win_rate_pct, 40.0);
  EXPECT_EQ(*m.expectancy, 0.0);
  EXPECT_EQ(*m.profit_factor, 1.0);
  EXPECT_FALSE(compute_metrics(100, {{60'000, 100}}, {}, 0, 60'000, 0, 60'000).win_rate_pct);
}

TEST(MetricsTest, SharpeAndSortinoFromTheReturnsOfTheCurve) {
  // Returns 10 %, -10 %, 10 % from 100: 110, 99, 108.9. Mean 1/30; sample deviation
  // sqrt(((2/30)^2 + (4/30)^2 + (2/30)^2) / 2) = sqrt(12) / 30; downside sqrt(0.01 / 3).
  const record_log<equity_point> curve{{60'000, 110}, {120'000, 99}, {180'000, 108.9}};
  const auto m = compute_metrics(100, curve, {}, 3, 60'000, 0, 180'000);
  const double per_year = std::sqrt(365.0 * 86'400'000.0 / 60'000.0);
  EXPECT_NEAR(*m.sharpe, (1.0 / 30) / (std::sqrt(12.0) / 30) * per_year, 1e-9);
  EXPECT_NEAR(*m.sortino, (1.0 / 30) / std::sqrt(0.01 / 3) * per_year, 1e-9);
  EXPECT_NEAR(m.max_drawdown_pct, 10.0, 1e-12);
  EXPECT_EQ(m.max_drawdown_duration_s, 120.0);  // still below 110 at the last point
  EXPECT_NEAR(m.total_return_pct, 8.9, 1e-12);
  EXPECT_EQ(m.exposure_pct, 100.0);
}

}  // namespace
}  // namespace ct::trading
