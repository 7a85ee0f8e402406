#include "trading/signals.hpp"

#include <gtest/gtest.h>

#include "candle_builders.hpp"

namespace ct::trading {
namespace {

constexpr std::int64_t t0 = 1'500'000'000'000;
constexpr std::int64_t step = test::step_5m;

/// A batch with the forming candle at `forming_ms` and each symbol's closed candles.
ticker_batch batch_at(std::int64_t forming_ms,
                      const std::vector<std::pair<std::string, std::vector<candle>>>& closed,
                      std::uint64_t epoch = 0) {
  ticker_batch b;
  b.epoch = epoch;
  b.market_ms = b.candle_ms = forming_ms;
  b.step_ms = step;
  for (const auto& [symbol, candles] : closed) {
    ticker t;
    t.symbol = symbol;
    t.closed = candles;
    t.q.last = candles.empty() ? price::from_units(1) : candles.back().close;
    b.tickers.push_back(t);
  }
  return b;
}

std::vector<candle> closes(std::int64_t from_ms, std::vector<std::int64_t> xs) {
  return test::flat_series("X-Y", xs, from_ms).candles;
}

signal_tracker momentum(std::size_t lookback, double threshold_pct) {
  strategy_spec spec;
  spec.momentum_lookback = lookback;
  spec.momentum_threshold_pct = threshold_pct;
  return signal_tracker{std::move(make_strategy(spec).value())};
}

TEST(SignalsTest, FeedsEachClosedCandleOnceFromTheFirstForming) {
  auto s = momentum(2, 0.5);
  EXPECT_FALSE(s.since_ms().has_value());
  s.on_batch(batch_at(t0, {{"A-B", {}}}));
  EXPECT_EQ(s.since_ms(), t0);  // what the next fetch asks from
  s.on_batch(batch_at(t0 + 2 * step, {{"A-B", closes(t0, {100, 100})}}));
  EXPECT_EQ(s.since_ms(), t0 + 2 * step);
  EXPECT_TRUE(s.opportunities(batch_at(t0 + 2 * step, {{"A-B", {}}}), {}).empty());
  // A fetch that overlaps what was fed already feeds only the new candle.
  const auto b = batch_at(t0 + 3 * step, {{"A-B", closes(t0 + step, {100, 102})}});
  s.on_batch(b);
  auto opps = s.opportunities(b, {});
  ASSERT_EQ(opps.size(), 1u);
  EXPECT_EQ(opps[0].action, action::buy);
  EXPECT_DOUBLE_EQ(opps[0].score, 2.0);  // 102 against 100 two candles back, not 100 three back
  EXPECT_EQ(opps[0].signal_ms, t0 + 3 * step);
  EXPECT_EQ(opps[0].strategy, "momentum");
}

TEST(SignalsTest, TheFirstBatchsCandlesAreAWarmUp) {
  auto s = momentum(1, 0.5);
  const auto b = batch_at(t0 + 5 * step, {{"A-B", closes(t0, {100, 90, 80, 70, 60})}});
  s.on_batch(b);
  EXPECT_EQ(s.since_ms(), t0 + 5 * step);
  const auto opps = s.opportunities(b, {});
  ASSERT_EQ(opps.size(), 1u);  // 60 against 70: a sell standing from the start
  EXPECT_EQ(opps[0].action, action::sell);
  EXPECT_EQ(opps[0].signal_ms, t0 + 5 * step);
}

TEST(SignalsTest, StandingSignalsStrongestFirstTiesInSymbolOrderOnlyEnabled) {
  auto s = momentum(1, 0.5);
  s.on_batch(batch_at(t0, {{"A-B", {}}, {"C-D", {}}, {"E-F", {}}}));
  const auto b = batch_at(t0 + 2 * step, {{"A-B", closes(t0, {100, 101})},
                                          {"C-D", closes(t0, {100, 103})},
                                          {"E-F", closes(t0, {100, 101})}});
  s.on_batch(b);
  auto opps = s.opportunities(b, {});
  ASSERT_EQ(opps.size(), 3u);
  EXPECT_EQ(opps[0].symbol, "C-D");
  EXPECT_EQ(opps[1].symbol, "A-B");
  EXPECT_EQ(opps[2].symbol, "E-F");
  opps = s.opportunities(b, {"E-F"});
  ASSERT_EQ(opps.size(), 1u);
  EXPECT_EQ(opps[0].symbol, "E-F");
  // The signal stands until the next candle closes.
  const auto later = batch_at(t0 + 2 * step, {{"A-B", {}}, {"C-D", {}}, {"E-F", {}}});
  s.on_batch(later);
  EXPECT_EQ(s.opportunities(later, {}).size(), 3u);
}

TEST(SignalsTest, AReplayThatWrapsAroundGoesOnForwardInTime) {
  auto s = momentum(1, 0.5);
  s.on_batch(batch_at(t0, {{"A-B", {}}}));
  s.on_batch(batch_at(t0 + 2 * step, {{"A-B", closes(t0, {100, 110})}}));
  ASSERT_EQ(s.opportunities(batch_at(t0 + 2 * step, {{"A-B", {}}}), {}).size(), 1u);
  // Epoch 1: the replay shows its first candles again, later in market time; they are fed as
  // the next ones (no new warm-up), and the signal follows them.
  const auto wrapped = batch_at(t0 + 4 * step, {{"A-B", closes(t0 + 2 * step, {110, 110})}}, 1);
  s.on_batch(wrapped);
  EXPECT_EQ(s.since_ms(), t0 + 4 * step);
  EXPECT_TRUE(s.opportunities(wrapped, {}).empty());  // flat since: no momentum
}

}  // namespace
}  // namespace ct::trading
