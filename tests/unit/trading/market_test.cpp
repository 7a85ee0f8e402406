#include "trading/market.hpp"

#include <gtest/gtest.h>

#include "bundled_market.hpp"

namespace ct::trading {
namespace {

candle_series series(std::string symbol, std::int64_t step, std::vector<std::int64_t> times) {
  candle_series s;
  s.symbol = std::move(symbol);
  s.step_ms = step;
  for (auto t : times)
    s.candles.push_back({t, price::from_units(100), price::from_units(120), price::from_units(90),
                         price::from_units(110), quantity::from_units(1000)});
  return s;
}

TEST(MarketTest, BundledMarketCoversTheSharedGrid) {
  auto m = test::bundled_market();
  ASSERT_EQ(m->size(), 6u);
  EXPECT_EQ(m->symbol(0), "ADA-BTC");
  EXPECT_EQ(m->symbol(5), "ZEC-BTC");
  EXPECT_EQ(m->step_ms(), 300'000);
  EXPECT_EQ(m->start_ms(), 1515560100000);  // 2018-01-10 04:55 UTC
  EXPECT_EQ(m->end_ms(), 1517287800000);    // ETC and ZEC end one candle early: 04:45 + 5 min
  EXPECT_EQ(m->find("XLM-BTC"), 3u);
  EXPECT_EQ(m->find("BTC-USD"), m->size());
}

TEST(MarketTest, PriceWalksOpenLowHighCloseInsideARisingCandle) {
  auto made = market_data::make({series("A-B", 300, {0, 300, 600})});
  ASSERT_TRUE(made.ok());
  const auto& m = *made.value();
  EXPECT_EQ(m.last_at(0, 0).units(), 100);    // open
  EXPECT_EQ(m.last_at(0, 50).units(), 95);    // half-way to the low
  EXPECT_EQ(m.last_at(0, 100).units(), 90);   // low
  EXPECT_EQ(m.last_at(0, 200).units(), 120);  // high
  EXPECT_EQ(m.last_at(0, 299).units(), 110);  // nearly the close (rounded)
  EXPECT_EQ(m.last_at(0, 300).units(), 100);  // next candle's open
}

TEST(MarketTest, FallingCandleVisitsTheHighFirstAndGapsHoldTheClose) {
  candle_series s;
  s.symbol = "A-B";
  s.step_ms = 300;
  s.candles = {{0, price::from_units(100), price::from_units(120), price::from_units(90),
                price::from_units(95), quantity::from_units(1)},
               {900, price::from_units(96), price::from_units(97), price::from_units(95),
                price::from_units(96), quantity::from_units(1)},
               {1200, price::from_units(96), price::from_units(97), price::from_units(95),
                price::from_units(96), quantity::from_units(1)}};
  auto made = market_data::make({s});
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made.value()->last_at(0, 100).units(), 120);  // high first when it fell
  EXPECT_EQ(made.value()->last_at(0, 200).units(), 90);
  EXPECT_EQ(made.value()->last_at(0, 450).units(), 95);  // in the gap: the last close
  EXPECT_EQ(made.value()->last_at(0, 899).units(), 95);
}

TEST(MarketTest, TheFormingCandleHoldsThePathSoFar) {
  auto made = market_data::make({series("A-B", 300, {0, 300, 900})});
  ASSERT_TRUE(made.ok());
  const auto& m = *made.value();
  auto c = m.forming_candle(0, 50);  // half-way down to the low
  EXPECT_EQ(c.open_time_ms, 0);
  EXPECT_EQ(c.open.units(), 100);
  EXPECT_EQ(c.close.units(), 95);
  EXPECT_EQ(c.high.units(), 100);
  EXPECT_EQ(c.low.units(), 95);
  EXPECT_EQ(c.volume.units(), 167);  // a sixth of 1,000
  c = m.forming_candle(0, 150);      // past the low, half-way up to the high
  EXPECT_EQ(c.low.units(), 90);
  EXPECT_EQ(c.high.units(), 105);
  EXPECT_EQ(c.close.units(), 105);
  c = m.forming_candle(0, 299);  // the whole range, nearly closed
  EXPECT_EQ(c.low.units(), 90);
  EXPECT_EQ(c.high.units(), 120);
  EXPECT_EQ(c.close.units(), 110);
  c = m.forming_candle(0, 700);  // a gap in the data: flat at the last close, nothing traded
  EXPECT_EQ(c.open_time_ms, 600);
  EXPECT_EQ(c.open.units(), 110);
  EXPECT_EQ(c.high.units(), 110);
  EXPECT_EQ(c.volume.units(), 0);
}

TEST(MarketTest, QuoteStraddlesTheLastPriceAndReportsTheDay) {
  auto m = test::bundled_market();
  const std::int64_t t = m->start_ms() + day_ms + 7 * 300'000;  // a candle open
  const auto q = m->quote_at(0, t, 1000);                       // 0.1 % spread
  EXPECT_LT(q.bid, q.last);
  EXPECT_GT(q.ask, q.last);
  EXPECT_EQ(q.last, m->series(0).candles[288 + 7].open);
  const double then = m->last_at(0, t - day_ms).to_double();
  EXPECT_NEAR(q.change_24h_pct, (q.last.to_double() / then - 1) * 100, 1e-9);
  // At a candle's open, the window holds the 288 candles opened in (t - 24 h, t], the current
  // one still empty.
  double volume = 0;
  for (std::size_t k = 8; k < 8 + 287; ++k)
    volume += m->series(0).candles[k].volume.to_double();
  EXPECT_NEAR(q.volume_24h, volume, volume * 1e-9);
}

TEST(MarketTest, RejectsMixedStepsDisjointRangesAndDuplicates) {
  EXPECT_FALSE(market_data::make({}).ok());
  EXPECT_FALSE(
      market_data::make({series("A-B", 300, {0, 300}), series("C-D", 600, {0, 600})}).ok());
  EXPECT_FALSE(
      market_data::make({series("A-B", 300, {0, 300}), series("C-D", 300, {900, 1200})}).ok());
  EXPECT_FALSE(
      market_data::make({series("A-B", 300, {0, 300}), series("A-B", 300, {0, 300})}).ok());
}

TEST(ReplayClockTest, AdvancesAtSpeedAndWraps) {
  const auto origin = from_unix_ms(1'000'000);
  replay_clock c;
  c.loop_start_ms = 10'000;
  c.loop_end_ms = 20'000;
  c.wall_origin = origin;
  c.speed = 60;
  EXPECT_EQ(c.at(origin).market_ms, 10'000);
  EXPECT_EQ(c.at(origin + std::chrono::milliseconds{100}).market_ms, 16'000);
  // Past the loop's end the data starts over, and market time goes on forward.
  const auto wrapped = c.at(origin + std::chrono::milliseconds{200});
  EXPECT_EQ(wrapped.market_ms, 22'000);
  EXPECT_EQ(wrapped.data_ms, 12'000);
  EXPECT_EQ(wrapped.epoch, 1u);
  EXPECT_EQ(c.data_ms(22'000), 12'000);
  EXPECT_EQ(c.data_ms(9'000), 9'000);  // the lead before the loop shows itself
  // A new speed continues from where the old one was.
  auto faster = c.with_speed(origin + std::chrono::milliseconds{100}, 120);
  EXPECT_EQ(faster.at(origin + std::chrono::milliseconds{100}).market_ms, 16'000);
  EXPECT_EQ(faster.at(origin + std::chrono::milliseconds{110}).market_ms, 17'200);
}

TEST(ReplayClockTest, ForMarketStartsADayIn) {
  auto m = test::bundled_market();
  auto c = replay_clock::for_market(*m, from_unix_ms(0), 60);
  EXPECT_EQ(c.at(from_unix_ms(0)).market_ms, m->start_ms() + day_ms);
  EXPECT_EQ(c.loop_ms() % m->step_ms(), 0);  // whole candles: every lap on the same grid
}

TEST(ReplayClockTest, AResumedReplayContinuesFromTheMarketTimeGiven) {
  replay_clock c;
  c.loop_start_ms = 10'000;
  c.loop_end_ms = 20'000;
  c.wall_origin = from_unix_ms(0);
  c.speed = 60;
  const auto wall = from_unix_ms(5'000'000);
  const auto r = c.resumed_at(31'000, wall);  // in the third lap
  EXPECT_EQ(r.at(wall).market_ms, 31'000);
  EXPECT_EQ(r.at(wall).data_ms, 11'000);
  EXPECT_EQ(r.at(wall).epoch, 2u);
  EXPECT_EQ(r.at(wall + std::chrono::milliseconds{100}).market_ms, 37'000);
  EXPECT_EQ(c.resumed_at(3'000, wall).at(wall).market_ms, 10'000);  // never before the loop
}

TEST(ReplayClockTest, CandlesComeAgainShiftedAfterEachLapWithTimeOnlyMovingForward) {
  // Candles every 1000 ms over [0, 10000); the loop is [4000, 10000), six candles long.
  std::vector<std::int64_t> times;
  for (std::int64_t t = 0; t < 10'000; t += 1000)
    times.push_back(t);
  auto made = market_data::make({series("A-B", 1000, times)});
  ASSERT_TRUE(made.ok());
  const auto& m = *made.value();
  replay_clock c;
  c.loop_start_ms = 4000;
  c.loop_end_ms = 10'000;
  // From the lead through two wraps: consecutive opens, no repeats, none backwards.
  const auto all = replayed_candles(m, c, 0, 0, 22'000, 1000);
  ASSERT_EQ(all.size(), 22u);
  for (std::size_t k = 0; k < all.size(); ++k)
    EXPECT_EQ(all[k].open_time_ms, static_cast<std::int64_t>(k) * 1000);
  // A candle shown at 16000 (second lap) is the data's 10000 - 6000 = 4000 one, and so on.
  EXPECT_EQ(replayed_candles(m, c, 0, 16'000, 17'000, 10).size(), 1u);
  // `max` keeps the oldest.
  const auto some = replayed_candles(m, c, 0, 8000, 22'000, 3);
  ASSERT_EQ(some.size(), 3u);
  EXPECT_EQ(some.back().open_time_ms, 10'000);
  // The last candles before a time in the third lap reach back over the wraps to the lead.
  const auto last = last_replayed_candles(m, c, 0, 17'000, 15);
  ASSERT_EQ(last.size(), 15u);
  EXPECT_EQ(last.front().open_time_ms, 2000);
  EXPECT_EQ(last.back().open_time_ms, 16'000);
  EXPECT_EQ(last_replayed_candles(m, c, 0, 3000, 100).size(), 3u);  // only what the data has
}

}  // namespace
}  // namespace ct::trading
