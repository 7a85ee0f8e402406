#include "trading/strategy.hpp"

#include <gtest/gtest.h>

#include "candle_builders.hpp"

namespace ct::trading {
namespace {

std::vector<decision> feed(strategy& s, const std::vector<std::int64_t>& closes) {
  std::vector<decision> out;
  for (const auto& c : test::flat_series("A-B", closes).candles)
    out.push_back(s.on_candle(c));
  return out;
}

std::unique_ptr<strategy> make(const strategy_spec& spec) {
  auto s = make_strategy(spec);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.err().message);
  return std::move(s.value());
}

TEST(StrategyTest, MomentumBuysAboveAndSellsBelowTheThreshold) {
  strategy_spec spec;
  spec.momentum_lookback = 2;
  spec.momentum_threshold_pct = 5;
  auto s = make(spec);
  const auto d = feed(*s, {100, 100, 106, 106, 100, 95});
  EXPECT_EQ(d[0].signal, signal::none);  // not enough history
  EXPECT_EQ(d[1].signal, signal::none);
  EXPECT_EQ(d[2].signal, signal::buy);  // +6 % over two candles
  EXPECT_NEAR(d[2].score, 6.0, 1e-9);
  EXPECT_EQ(d[3].signal, signal::buy);
  EXPECT_EQ(d[4].signal, signal::sell);  // 100 vs 106 two candles ago: -5.66 %
  EXPECT_NEAR(d[4].score, 5.660377, 1e-6);
  EXPECT_EQ(d[5].signal, signal::sell);  // 95 vs 106
}

TEST(StrategyTest, SmaCrossoverSignalsOnlyWhereTheAveragesCross) {
  strategy_spec spec;
  spec.name = "sma_crossover";
  spec.fast_period = 2;
  spec.slow_period = 3;
  auto s = make(spec);
  // fast/slow: c3 (10,10,10) equal; c4 fast 10.5 > slow 10.33 (cross up from unknown: sets
  // side); falling later crosses down, then back up.
  const auto d = feed(*s, {10, 10, 10, 11, 12, 9, 8, 12, 14});
  std::vector<signal> sig;
  for (const auto& x : d)
    sig.push_back(x.signal);
  EXPECT_EQ(sig, (std::vector<signal>{signal::none, signal::none, signal::none, signal::none,
                                      signal::none, signal::sell, signal::none, signal::buy,
                                      signal::none}));
}

TEST(StrategyTest, EmaCrossoverUsesExponentialAverages) {
  strategy_spec spec;
  spec.name = "ema_crossover";
  spec.fast_period = 2;
  spec.slow_period = 4;
  auto s = make(spec);
  const auto d = feed(*s, {10, 10, 10, 10, 9, 8, 12, 15});
  EXPECT_EQ(d[4].signal, signal::none);  // first comparison sets the side (below)
  EXPECT_EQ(d[6].signal, signal::buy);
  EXPECT_STREQ(s->name(), "ema_crossover");
}

TEST(StrategyTest, RsiReversionBuysOversoldAndSellsOverbought) {
  strategy_spec spec;
  spec.name = "rsi_reversion";
  spec.rsi_period = 2;
  auto s = make(spec);
  const auto d = feed(*s, {100, 99, 98, 97, 100, 103, 106});
  EXPECT_EQ(d[2].signal, signal::buy);  // two losses: RSI 0
  EXPECT_NEAR(d[2].score, 30.0, 1e-9);
  EXPECT_EQ(d[6].signal, signal::sell);
  EXPECT_EQ(s->explain(d[2]), "RSI 0.0 below 30.0");
}

TEST(StrategyTest, FreshInstancesShareParametersNotHistory) {
  strategy_spec spec;
  spec.momentum_lookback = 1;
  spec.momentum_threshold_pct = 1;
  auto a = make(spec);
  feed(*a, {100});
  auto b = a->fresh();
  EXPECT_EQ(b->on_candle(test::bar(0, 200, 200, 200, 200)).signal, signal::none);
  EXPECT_EQ(a->on_candle(test::bar(0, 200, 200, 200, 200)).signal, signal::buy);
}

TEST(StrategyTest, UnknownNamesAndBadParametersAreNamed) {
  strategy_spec spec;
  spec.name = "macd";
  auto e = make_strategy(spec);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.err().field, "strategy.name");
  EXPECT_NE(e.err().message.find("rsi_reversion"), std::string::npos);
  spec.name = "sma_crossover";
  spec.fast_period = 30;
  spec.slow_period = 20;
  e = make_strategy(spec);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.err().field, "strategy.fast_period");
}

TEST(StrategyTest, ParamsListOnlyWhatTheStrategyReads) {
  strategy_spec spec;
  spec.name = "rsi_reversion";
  const auto p = strategy_params(spec);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0].first, "rsi_period");
}

}  // namespace
}  // namespace ct::trading
