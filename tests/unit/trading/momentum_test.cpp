#include "trading/momentum.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

ticker_batch batch(std::uint64_t epoch, std::vector<std::pair<std::string, double>> prices) {
  ticker_batch b;
  b.epoch = epoch;
  for (auto& [symbol, px] : prices) {
    ticker t;
    t.symbol = symbol;
    t.q.last = price::from_double(px);
    b.tickers.push_back(t);
  }
  return b;
}

TEST(MomentumTest, WindowNeedsLookbackPlusOnePrices) {
  momentum_window w{3};
  for (double p : {100.0, 101.0, 102.0}) {
    w.push(p);
    EXPECT_FALSE(w.change_pct().has_value());
  }
  w.push(103.0);
  EXPECT_NEAR(*w.change_pct(), 3.0, 1e-12);  // 103 vs 100, 3 ticks back
  w.push(99.0);
  EXPECT_NEAR(*w.change_pct(), (99.0 / 101.0 - 1) * 100, 1e-12);
}

TEST(MomentumTest, ShorterLookbackKeepsTheNewestPrices) {
  momentum_window w{4};
  for (double p : {1.0, 2.0, 3.0, 4.0, 5.0})
    w.push(p);
  w.set_lookback(2);
  EXPECT_NEAR(*w.change_pct(), (5.0 / 3.0 - 1) * 100, 1e-12);
  w.set_lookback(3);
  EXPECT_FALSE(w.change_pct().has_value());  // needs one more price
  w.push(6.0);
  EXPECT_NEAR(*w.change_pct(), 100.0, 1e-12);  // 6 vs 3
}

TEST(MomentumTest, ActionAboveAndBelowThreshold) {
  EXPECT_EQ(momentum_action(0.61, 0.6), action::buy);
  EXPECT_EQ(momentum_action(-0.61, 0.6), action::sell);
  EXPECT_FALSE(momentum_action(0.6, 0.6).has_value());
  EXPECT_FALSE(momentum_action(-0.2, 0.6).has_value());
}

TEST(MomentumTest, StrategyRanksStrongestFirstAndFiltersSymbols) {
  momentum_strategy s{{2, 0.5}};
  EXPECT_TRUE(s.on_tickers(batch(0, {{"A-B", 100}, {"C-D", 100}, {"E-F", 100}}), {}).empty());
  s.on_tickers(batch(0, {{"A-B", 100}, {"C-D", 100}, {"E-F", 100}}), {});
  auto opps = s.on_tickers(batch(0, {{"A-B", 101}, {"C-D", 97}, {"E-F", 100.2}}), {});
  ASSERT_EQ(opps.size(), 2u);
  EXPECT_EQ(opps[0].symbol, "C-D");  // -3 % is stronger than +1 %
  EXPECT_EQ(opps[0].action, action::sell);
  EXPECT_EQ(opps[1].symbol, "A-B");
  EXPECT_EQ(opps[1].action, action::buy);
  EXPECT_EQ(opps[1].strategy, "momentum");
  EXPECT_NE(opps[1].reason.find("over 2 ticks"), std::string::npos);
  auto only = s.on_tickers(batch(0, {{"A-B", 102}, {"C-D", 95}, {"E-F", 100}}), {"A-B"});
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].symbol, "A-B");
}

TEST(MomentumTest, ReplayWrapStartsAfresh) {
  momentum_strategy s{{1, 0.5}};
  s.on_tickers(batch(0, {{"A-B", 100}}), {});
  EXPECT_EQ(s.on_tickers(batch(0, {{"A-B", 110}}), {}).size(), 1u);
  // Epoch 1: the price jumped back to the start of the data; no signal from the jump.
  EXPECT_TRUE(s.on_tickers(batch(1, {{"A-B", 50}}), {}).empty());
  EXPECT_EQ(s.on_tickers(batch(1, {{"A-B", 40}}), {}).size(), 1u);
}

}  // namespace
}  // namespace ct::trading
