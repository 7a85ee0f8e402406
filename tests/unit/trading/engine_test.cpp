// The engine's rules, event by event, as both drivers feed it.
#include "trading/engine.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

constexpr std::int64_t t0 = 1'500'000'000'000;
constexpr std::int64_t step = 300'000;

price px(std::int64_t units) {
  return price::from_units(units);
}

candle bar(std::int64_t at, std::int64_t o, std::int64_t h, std::int64_t l, std::int64_t c) {
  return {at, px(o), px(h), px(l), px(c), quantity::from_units(1)};
}

risk_rules rules(std::int64_t stop_ppm, std::int64_t target_ppm) {
  risk_rules r;
  r.stake_amount = money::from_units(10'000);
  r.stop_loss_ppm = stop_ppm;
  r.take_profit_ppm = target_ppm;
  return r;
}

/// The entries `e` makes at `ms` with `cash`, every symbol's touch at 1'000 units.
std::vector<entry_decision> entries(engine& e, std::int64_t ms, std::int64_t cash) {
  std::vector<entry_decision> out;
  e.plan_entries(
      ms, money::from_units(cash), [](std::size_t) { return std::optional{px(1'000)}; },
      [&](const entry_decision& d) { out.push_back(d); });
  return out;
}

TEST(EngineTest, WalksEachClosedCandleOnceThenTheFormingOpen) {
  engine e{rules(10'000, 20'000), 1};  // stop 9'900, target 10'200
  e.entered(0, px(10'000), t0);
  const std::vector<candle> first{bar(t0, 10'000, 10'100, 9'950, 10'050)};
  EXPECT_FALSE(e.walk(0, first, step, t0));
  EXPECT_FALSE(e.at_open(0, t0 + step, px(10'050)));
  // The same candle again (a scan within the next one) is not walked twice.
  EXPECT_FALSE(e.walk(0, first, step, t0));
  // The next candle rises through the target: it fills at the level, at that candle's close.
  const std::vector<candle> second{bar(t0 + step, 10'050, 10'300, 10'000, 10'250)};
  auto hit = e.walk(0, second, step, t0);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::take_profit);
  EXPECT_EQ(hit->level, px(10'200));
  EXPECT_EQ(hit->at_ms, t0 + 2 * step);
  // Leaving: no second exit until the fill or the failure.
  EXPECT_FALSE(e.exit_now(0, t0 + 2 * step));
  e.exit_failed(0);
  EXPECT_TRUE(e.exit_now(0, t0 + 2 * step));
}

TEST(EngineTest, FillsAGapAtTheOpenButNotAtTheEntryCandlesOwnOpen) {
  engine e{rules(10'000, 0), 1};
  e.entered(0, px(10'000), t0);
  EXPECT_FALSE(e.at_open(0, t0, px(9'000)));  // the entry's own open is no gap
  EXPECT_FALSE(e.walk(0, {bar(t0, 10'000, 10'000, 9'950, 9'950)}, step, t0));
  auto hit = e.at_open(0, t0 + step, px(9'500));  // opens far below the stop: fills there
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::stop_loss);
  EXPECT_EQ(hit->level, px(9'500));
  EXPECT_EQ(hit->at_ms, t0 + step);
}

TEST(EngineTest, ClosesAtTheCloseOnceTheTimeLimitIsReached) {
  auto r = rules(0, 0);
  r.time_limit_ms = 2 * step;
  engine e{r, 1};
  e.entered(0, px(10'000), t0);
  auto hit = e.walk(
      0, {bar(t0, 10'000, 10'010, 9'990, 10'000), bar(t0 + step, 10'000, 10'010, 9'990, 10'005)},
      step, t0);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::time_limit);
  EXPECT_EQ(hit->level, px(10'005));
  EXPECT_EQ(hit->at_ms, t0 + 2 * step);
}

TEST(EngineTest, ASellSignalExitsAtTheMarketAtTheNextOpen) {
  engine e{rules(0, 0), 1};
  e.entered(0, px(10'000), t0);
  e.on_signal(0, signal::sell, -1, t0 + step);
  auto hit = e.at_open(0, t0 + step, px(10'100));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::signal);
  EXPECT_TRUE(hit->at_market());
  e.exited(0, t0 + step);
  EXPECT_EQ(e.taken(), 0u);
}

TEST(EngineTest, EntriesStrongestFirstUpToMaxPositionsWithinCash) {
  auto r = rules(0, 0);
  r.max_positions = 3;
  r.fee_ppm = 1000;
  engine e{r, 5};
  const double scores[] = {5, -9, 4, 3, 2};
  for (std::size_t i = 0; i < 5; ++i) {
    e.on_signal(i, i == 1 ? signal::sell : signal::buy, scores[i], t0);
    EXPECT_FALSE(e.at_open(i, t0 + step, px(1'000)));
  }
  auto plan = entries(e, t0 + step, 35'000);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].symbol, 0u);
  EXPECT_EQ(plan[1].symbol, 2u);
  EXPECT_EQ(plan[2].symbol, 3u);
  EXPECT_EQ(plan[0].qty.units(), 1'000'000'000);  // 10000 units / 1000 per unit = 10 whole
  EXPECT_EQ(plan[0].fee.units(), 10);
  // Each decision holds its slot: nothing more while three are entering.
  EXPECT_EQ(e.taken(), 3u);
  e.entry_failed(2);
  e.entered(0, plan[0].px, t0 + step);
  e.entered(3, plan[2].px, t0 + step);
  EXPECT_EQ(e.taken(), 2u);
  // A signal is weighed once: the same one at the next open is no candidate again.
  EXPECT_FALSE(e.at_open(4, t0 + 2 * step, px(1'000)));
  EXPECT_TRUE(entries(e, t0 + 2 * step, 35'000).empty());
  // Not enough cash for a stake plus its fee.
  e.on_signal(4, signal::buy, 2, t0 + 2 * step);
  e.at_open(4, t0 + 3 * step, px(1'000));
  EXPECT_TRUE(entries(e, t0 + 3 * step, 10'009).empty());
}

TEST(EngineTest, OnDemandOpensLeaveTheBuyForTheNextOneAndHaltsEnterNothing) {
  engine e{rules(0, 0), 1};
  e.on_signal(0, signal::buy, 1, t0);
  e.at_open(0, t0 + step, px(1'000), false);
  EXPECT_TRUE(entries(e, t0 + step, 100'000).empty());
  e.halt();
  e.at_open(0, t0 + step, px(1'000));  // weighed while halted: gone
  EXPECT_TRUE(entries(e, t0 + step, 100'000).empty());
  e.resume();
  e.at_open(0, t0 + step, px(1'000));
  EXPECT_TRUE(entries(e, t0 + step, 100'000).empty());
  e.on_signal(0, signal::buy, 1, t0 + step);
  e.at_open(0, t0 + 2 * step, px(1'000));
  EXPECT_EQ(entries(e, t0 + 2 * step, 100'000).size(), 1u);
}

TEST(EngineTest, NoEntryOnASymbolWithinItsCooldown) {
  auto r = rules(0, 0);
  r.cooldown_ms = 2 * step;
  engine e{r, 1};
  e.entered(0, px(1'000), t0);
  e.exited(0, t0 + step);
  for (std::int64_t k = 1; k <= 3; ++k) {
    e.on_signal(0, signal::buy, 1, t0 + k * step);
    e.at_open(0, t0 + (k + 1) * step, px(1'000));
    EXPECT_EQ(entries(e, t0 + (k + 1) * step, 100'000).size(), k == 1 ? 0u : 1u) << k;
    e.entry_failed(0);
  }
}

TEST(EngineTest, TheDrawdownHaltIsExactInFixedPoint) {
  auto r = rules(0, 0);
  r.max_drawdown_ppm = 100'000;  // 10 %
  engine e{r, 1};
  EXPECT_FALSE(e.mark(money::from_units(1'000'000'000)));
  EXPECT_FALSE(e.mark(money::from_units(900'000'001)));  // one unit short of 10 %
  EXPECT_FALSE(e.halted());
  EXPECT_TRUE(e.mark(money::from_units(900'000'000)));
  EXPECT_TRUE(e.halted());
  EXPECT_FALSE(e.mark(money::from_units(800'000'000)));  // once
  e.resume();                                            // the peak starts again
  EXPECT_FALSE(e.mark(money::from_units(800'000'000)));
  EXPECT_FALSE(e.mark(money::from_units(720'000'001)));
  EXPECT_TRUE(e.mark(money::from_units(720'000'000)));
}

TEST(EngineTest, ARestoredPositionIsWalkedFromTheFirstScanAfterTheRestart) {
  engine e{rules(10'000, 0), 1};
  e.restore_position(0, px(10'000), px(9'950), t0);  // its trailing stop had reached 9'950
  EXPECT_EQ(e.taken(), 1u);
  // The scan asked from t0 + step: the candle before it is history, the one after is walked.
  auto hit = e.walk(
      0, {bar(t0, 10'000, 10'000, 9'000, 9'000), bar(t0 + step, 10'000, 10'000, 9'940, 9'960)},
      step, t0 + step);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::trailing_stop);
  EXPECT_EQ(hit->level, px(9'950));
  EXPECT_EQ(hit->at_ms, t0 + 2 * step);
}

}  // namespace
}  // namespace ct::trading
