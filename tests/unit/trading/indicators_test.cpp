#include "trading/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

template <class Indicator>
std::vector<double> run(Indicator ind, const std::vector<double>& xs) {
  std::vector<double> out;
  for (double x : xs)
    if (auto v = ind.update(x))
      out.push_back(*v);
  return out;
}

TEST(IndicatorsTest, ARingKeepsItsLastValuesAcrossManyWraps) {
  for (const std::size_t capacity :
       {std::size_t{1}, std::size_t{3}, std::size_t{4}, std::size_t{11}}) {
    ring r{capacity};
    for (int x = 0; x < 100; ++x) {
      const auto out = r.push(x);
      const auto pushed = static_cast<std::size_t>(x) + 1;
      EXPECT_EQ(r.full(), pushed >= capacity);
      EXPECT_EQ(r.size(), std::min(pushed, capacity));
      if (pushed > capacity) {
        EXPECT_EQ(out, std::optional<double>{x - static_cast<double>(capacity)}) << capacity;
      } else {
        EXPECT_FALSE(out) << capacity;
      }
      for (std::size_t age = 0; age < r.size(); ++age)
        EXPECT_EQ(r.back(age), x - static_cast<double>(age)) << capacity;
    }
  }
  EXPECT_THROW(ring{0}, std::invalid_argument);
}

TEST(IndicatorsTest, SmaAnswersOnceItsWindowIsFull) {
  EXPECT_EQ(run(sma{3}, {1, 2, 3, 4, 5}), (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(run(sma{1}, {7, 8}), (std::vector<double>{7, 8}));
  EXPECT_THROW(sma{0}, std::invalid_argument);
}

TEST(IndicatorsTest, EmaIsSeededWithTheSmaThenSmooths) {
  // alpha = 2 / (3 + 1) = 0.5; seed (1 + 2 + 3) / 3 = 2; then 2 + 0.5 (4 - 2) = 3, 4.
  EXPECT_EQ(run(ema{3}, {1, 2, 3, 4, 5}), (std::vector<double>{2, 3, 4}));
}

TEST(IndicatorsTest, RsiMatchesStockChartsWorkedExample) {
  // StockCharts' "RSI" table (14 periods); its spreadsheet rounds the averages it carries, so
  // its figures differ from exact Wilder smoothing in the second decimal.
  const std::vector<double> closes{44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10,
                                   45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28,
                                   46.28, 46.00, 46.03, 46.41, 46.22, 45.64};
  const std::vector<double> published{70.53, 66.32, 66.55, 69.41, 66.36, 57.97};
  const auto got = run(rsi{14}, closes);
  ASSERT_EQ(got.size(), published.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], published[i], 0.1) << i;
  EXPECT_NEAR(got[0], 70.464, 0.001);  // exact Wilder
}

TEST(IndicatorsTest, RsiAtTheExtremes) {
  EXPECT_EQ(run(rsi{3}, {1, 2, 3, 4}), (std::vector<double>{100}));
  EXPECT_EQ(run(rsi{3}, {4, 3, 2, 1}), (std::vector<double>{0}));
  EXPECT_EQ(run(rsi{3}, {5, 5, 5, 5}), (std::vector<double>{50}));
}

TEST(IndicatorsTest, BollingerUsesThePopulationDeviation) {
  bollinger b{3, 2.0};
  EXPECT_FALSE(b.update(1));
  EXPECT_FALSE(b.update(2));
  auto v = b.update(3);
  ASSERT_TRUE(v);
  const double sd = std::sqrt(2.0 / 3.0);
  EXPECT_DOUBLE_EQ(v->middle, 2);
  EXPECT_NEAR(v->upper, 2 + 2 * sd, 1e-12);
  EXPECT_NEAR(v->lower, 2 - 2 * sd, 1e-12);
  v = bollinger{2, 2.0}.update(5);  // period 2, one value: not yet
  EXPECT_FALSE(v);
}

TEST(IndicatorsTest, AtrTakesTheTrueRangeWithWilderSmoothing) {
  atr a{3};
  EXPECT_FALSE(a.update(10, 8, 9));                     // TR 2 (no previous close)
  EXPECT_FALSE(a.update(11, 9, 10));                    // TR max(2, |11-9|, |9-9|) = 2
  EXPECT_NEAR(*a.update(12, 9, 11), 7.0 / 3.0, 1e-12);  // TR 3
  EXPECT_NEAR(*a.update(13, 10, 12), (7.0 / 3.0 * 2 + 3) / 3, 1e-12);
  atr gap{1};
  gap.update(10, 9, 9.5);
  EXPECT_DOUBLE_EQ(*gap.update(12, 11.5, 12), 2.5);  // a gap up: high minus previous close
}

TEST(IndicatorsTest, MomentumIsThePercentChangeOverItsPeriod) {
  const auto got = run(momentum{2}, {100, 110, 121, 121});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NEAR(got[0], 21.0, 1e-9);
  EXPECT_NEAR(got[1], 10.0, 1e-9);
}

TEST(IndicatorsTest, RunningSumsDoNotDriftOverALongSeries) {
  // A random walk of prices around 0.05, checked against a recomputation from scratch.
  std::mt19937_64 rng{7};
  std::normal_distribution<double> step{0, 0.0005};
  std::vector<double> xs;
  double px = 0.05;
  for (int i = 0; i < 200'000; ++i)
    xs.push_back(px = std::max(1e-6, px + step(rng)));
  const std::size_t n = 20;
  sma s{n};
  bollinger b{n, 2.0};
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const auto mean = s.update(xs[i]);
    const auto band = b.update(xs[i]);
    if (i + 1 < n || i % 9973 != 0)
      continue;
    double sum = 0, sq = 0;
    for (std::size_t j = i + 1 - n; j <= i; ++j)
      sum += xs[j];
    const double m = sum / static_cast<double>(n);
    for (std::size_t j = i + 1 - n; j <= i; ++j)
      sq += (xs[j] - m) * (xs[j] - m);
    const double sd = std::sqrt(sq / static_cast<double>(n));
    EXPECT_NEAR(*mean, m, 1e-12) << i;
    EXPECT_NEAR(band->upper, m + 2 * sd, 1e-9) << i;
  }
}

}  // namespace
}  // namespace ct::trading
