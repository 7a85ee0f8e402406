// The position manager on the engine's rules: entries, exits, time limits, trailing stops and
// cooldowns, live.
#include "position_manager_fixture.hpp"

namespace ct::actors::pm_test {
namespace {

TEST_F(PositionManagerTest, OpensStrongestBuysSizedByTheStakeUpToMaxPositions) {
  start();
  scan({{"A-B", 10'000}, {"C-D", 10'000}, {"E-F", 10'000}},
       {buy("E-F", 1), buy("A-B", 3), buy("C-D", 2)});
  // The engine ranks the buys, strongest first, whatever order the scan listed them in.
  auto open = positions();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].symbol, "A-B");
  EXPECT_EQ(open[1].symbol, "C-D");
  const auto& p = open[0];
  // Ask 10001 plus 0.05 % slippage, rounded up; 0.1 BTC of it, rounded down; fee 0.1 % up.
  EXPECT_EQ(p.entry_price.units(), 10'007);
  EXPECT_EQ(p.qty.units(), 99'930'048'965);
  EXPECT_EQ(p.cost.units(), 10'000'000);
  EXPECT_EQ(p.entry_fee.units(), 10'000);
  EXPECT_EQ(p.stop_loss->units(), 9'907);
  EXPECT_EQ(p.take_profit->units(), 10'157);
  EXPECT_EQ(p.mark.units(), 9'999);  // marked to the bid
  const auto s = status();
  EXPECT_EQ(s.open_positions, 2u);
  EXPECT_EQ(s.cash.units(), 100'000'000 - 2 * (10'000'000 + 10'000));
  EXPECT_EQ(s.equity, s.starting_cash + s.realized_pnl + s.unrealized_pnl);
  EXPECT_EQ(s.scans, 1u);
  EXPECT_EQ(s.quote_currency, "BTC");
}

TEST_F(PositionManagerTest, TheScanCountGoesOnAcrossAScannerRestart) {
  start();
  for (int i = 0; i < 3; ++i)
    scan({{"A-B", 10'000}}, {});
  EXPECT_EQ(status().scans, 3u);
  scanner_id = 2;  // a restarted scanner counts from 1 again
  scans = 0;
  scan({{"A-B", 10'000}}, {});
  scan({{"A-B", 10'000}}, {});
  EXPECT_EQ(status().scans, 5u);
}

TEST_F(PositionManagerTest, OpensNothingWhileStoppedOrOnDemandScans) {
  start();
  EXPECT_TRUE(status().trading);  // autostart in paper mode
  auto r = ask<msg::trading_changed>(pm, msg::stop_trading{false});
  EXPECT_FALSE(r.trading);
  EXPECT_TRUE(r.changed);
  EXPECT_FALSE(ask<msg::trading_changed>(pm, msg::stop_trading{false}).changed);  // idempotent
  EXPECT_FALSE(status().trading_since.has_value());
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  EXPECT_TRUE(positions().empty());
  r = ask<msg::trading_changed>(pm, msg::start_atom::value);
  EXPECT_TRUE(r.trading && r.changed);
  EXPECT_FALSE(ask<msg::trading_changed>(pm, msg::start_atom::value).changed);
  EXPECT_TRUE(status().trading_since.has_value());
  scan({{"A-B", 10'000}}, {buy("A-B", 1)}, true);
  EXPECT_TRUE(positions().empty());
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  EXPECT_EQ(positions().size(), 1u);
}

TEST_F(PositionManagerTest, ClosesOnStopLossTakeProfitAndSellSignal) {
  config.max_positions = 3;
  start();
  scan({{"A-B", 10'000}, {"C-D", 10'000}, {"E-F", 10'000}},
       {buy("A-B", 3), buy("C-D", 2), buy("E-F", 1)});
  ASSERT_EQ(positions().size(), 3u);
  // A-B's candle falls through its stop (9'907), C-D's rises through its target (10'157), E-F
  // gets a sell signal.
  scan({{"A-B", 9'900}, {"C-D", 10'200}, {"E-F", 10'000}}, {sell("E-F")});
  EXPECT_TRUE(positions().empty());
  auto closed = positions("closed");
  ASSERT_EQ(closed.size(), 3u);
  std::map<std::string, trading::exit_reason> reasons;
  for (const auto& p : closed)
    reasons[p.symbol] = *p.exit_reason;
  EXPECT_EQ(reasons["A-B"], trading::exit_reason::stop_loss);
  EXPECT_EQ(reasons["C-D"], trading::exit_reason::take_profit);
  EXPECT_EQ(reasons["E-F"], trading::exit_reason::signal);
  // Stops and targets fill at their level, as orders resting at the exchange would, less the
  // slippage; a signal sells at the bid less the slippage.
  std::map<std::string, std::int64_t> exit_units;
  for (const auto& p : closed)
    exit_units[p.symbol] = p.exit_price.units();
  EXPECT_EQ(exit_units["A-B"], 9'902);   // 9'907 - 0.05 %, rounded down
  EXPECT_EQ(exit_units["C-D"], 10'151);  // 10'157 - 0.05 %
  EXPECT_EQ(exit_units["E-F"], 9'994);   // 9'999 - 0.05 %
  const auto s = status();
  EXPECT_EQ(s.closed_positions, 3u);
  money realized;
  for (const auto& p : closed)
    realized += p.realized_pnl();
  EXPECT_EQ(s.realized_pnl, realized);
  EXPECT_EQ(s.cash, s.starting_cash + realized);
}

TEST_F(PositionManagerTest, TimeLimitClosesOnTheExchangesClock) {
  config.risk.time_limit_min = 60;
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});  // enters at the open of the candle at t
  market_ms += 50 * minute_ms;               // the scan at t + 55 min
  scan({{"A-B", 10'000}}, {});
  EXPECT_EQ(positions().size(), 1u);
  scan({{"A-B", 10'000}}, {});  // the candle closing at t + 60 min closes it
  auto closed = positions("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(*closed[0].exit_reason, trading::exit_reason::time_limit);
}

TEST_F(PositionManagerTest, TimeLimitCountsFromTheEntryAcrossARestart) {
  config.risk.time_limit_min = 60;
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  market_ms += 50 * minute_ms;
  scan({{"A-B", 10'000}}, {});
  restart();  // a new incarnation: the position's age is on market time, from its entry
  scan({{"A-B", 10'000}}, {});
  auto closed = positions("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(*closed[0].exit_reason, trading::exit_reason::time_limit);
}

TEST_F(PositionManagerTest, TrailingStopRisesWithTheBidAndClosesBelowIt) {
  enter_and_raise_the_trailing_stop();
  auto open = positions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(*open[0].stop_loss, price::from_units(10'780));
  scan({{"A-B", 10'900}}, {});  // the stop never falls
  EXPECT_EQ(*positions()[0].stop_loss, price::from_units(10'780));
  EXPECT_EQ(*store.load_ledger().open[0].stop_loss, price::from_units(10'780));  // committed
  scan({{"A-B", 10'700}}, {});
  expect_closed_at_the_trailing_stop();
}

TEST_F(PositionManagerTest, ARestartKeepsTheRaisedTrailingStop) {
  enter_and_raise_the_trailing_stop();
  restart();  // a new incarnation: it follows the position from its stored stop
  // The candle that closed meanwhile falls through the kept stop (not the fixed one at 9'907):
  // it fills at the stop's level, as it would have without the restart.
  scan({{"A-B", 10'700}}, {});
  expect_closed_at_the_trailing_stop();
}

TEST_F(PositionManagerTest, CooldownSkipsTheSymbolAfterAnExit) {
  config.risk.cooldown_min = 30;
  start();
  scan({{"A-B", 10'000}, {"C-D", 10'000}}, {buy("A-B", 1)});
  scan({{"A-B", 10'000}, {"C-D", 10'000}}, {sell("A-B")});  // exits at t + 5 min
  ASSERT_TRUE(positions().empty());
  market_ms += 5 * minute_ms;  // 10 minutes after the exit: A-B waits, C-D does not
  scan({{"A-B", 10'000}, {"C-D", 10'000}}, {buy("A-B", 2), buy("C-D", 1)});
  auto open = positions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].symbol, "C-D");
  market_ms += 15 * minute_ms;  // 30 minutes after the exit
  scan({{"A-B", 10'000}, {"C-D", 10'000}}, {buy("A-B", 2)});
  EXPECT_EQ(positions().size(), 2u);
}

TEST_F(PositionManagerTest, CooldownGoesOnAcrossARestart) {
  config.risk.cooldown_min = 30;
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  scan({{"A-B", 10'000}}, {sell("A-B")});  // exits at t + 5 min
  ASSERT_TRUE(positions().empty());
  restart();  // the exit's market time comes back with the closed position
  market_ms += 5 * minute_ms;
  scan({{"A-B", 10'000}}, {buy("A-B", 2)});
  EXPECT_TRUE(positions().empty());
  market_ms += 15 * minute_ms;
  scan({{"A-B", 10'000}}, {buy("A-B", 2)});
  EXPECT_EQ(positions().size(), 1u);
}

}  // namespace
}  // namespace ct::actors::pm_test
