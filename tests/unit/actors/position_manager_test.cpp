// The position manager: the drawdown halt, the store's failure, stops, the timeline, live mode,
// the reconciliation of the ledger with the fills, restarts.
#include "position_manager_fixture.hpp"

namespace ct::actors::pm_test {
namespace {

TEST_F(PositionManagerTest, MaxDrawdownStopsTradingAndKeepsThePositions) {
  config.risk.max_drawdown_pct = 5;
  config.risk.stop_loss_pct = 0;
  config.stake_amount = 0.9;
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  scan({{"A-B", 9'700}}, {});  // equity about -2.8 %: still trading
  EXPECT_TRUE(status().trading);
  scan({{"A-B", 9'400}}, {});  // about -5.5 %
  EXPECT_FALSE(status().trading);
  // The halt answers nobody: the scan's sender gets no stray trading_changed.
  EXPECT_EQ(self->mailbox().size(), 0u);
  const auto stopped = events("trading_stopped");
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(stopped[0].data)["reason"], "max_drawdown");
  EXPECT_EQ(positions().size(), 1u);  // exits still apply; entries do not
  scan({{"A-B", 9'400}, {"C-D", 10'000}}, {buy("C-D", 1)});
  EXPECT_EQ(positions().size(), 1u);
}

TEST_F(PositionManagerTest, AFailingStoreStopsTradingAndRefusesStartUntilItRecovers) {
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  ASSERT_TRUE(status().trading);
  self->send(pm, msg::storage_health{msg::health::failed, "the disk is full"});
  run();
  EXPECT_FALSE(status().trading);
  EXPECT_EQ(self->mailbox().size(), 0u);  // the store's notice gets no answer
  const auto stopped = events("trading_stopped");
  ASSERT_EQ(stopped.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(stopped[0].data)["reason"], "storage_failed");
  EXPECT_EQ(positions().size(), 1u);  // stopping keeps the positions
  const auto refused = ask_error<msg::trading_changed>(pm, msg::start_atom::value);
  EXPECT_EQ(code_of(refused), msg::errc::conflict);
  EXPECT_NE(msg::message_of(refused, "").find("the disk is full"), std::string::npos);
  self->send(pm, msg::storage_health{msg::health::ok, ""});
  run();
  EXPECT_FALSE(status().trading);  // recovery does not restart trading by itself
  EXPECT_TRUE(ask<msg::trading_changed>(pm, msg::start_atom::value).changed);
}

TEST_F(PositionManagerTest, StopWithClosePositionsClosesThemManually) {
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  ASSERT_EQ(positions().size(), 1u);
  auto r = ask<msg::trading_changed>(pm, msg::stop_trading{true});
  EXPECT_TRUE(r.changed);
  EXPECT_TRUE(positions().empty());
  auto closed = positions("all");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].exit_reason, trading::exit_reason::manual);
  EXPECT_TRUE(closed[0].closed_at.has_value());
}

TEST_F(PositionManagerTest, ClosingOnePositionClosesItManuallyAndKeepsTrading) {
  start();
  scan({{"A-B", 10'000}, {"C-D", 20'000}}, {buy("A-B", 2), buy("C-D", 1)});
  ASSERT_EQ(positions().size(), 2u);
  const auto target = positions()[0];
  auto closed = ask<trading::position>(pm, msg::close_position{target.id});
  EXPECT_EQ(closed.id, target.id);
  EXPECT_EQ(closed.exit_reason, trading::exit_reason::manual);
  EXPECT_TRUE(closed.closed_at.has_value());
  EXPECT_NE(closed.exit_market_ms, 0);
  ASSERT_EQ(positions().size(), 1u);  // the other stays open, and trading goes on
  EXPECT_NE(positions()[0].id, target.id);
  EXPECT_TRUE(status().trading);
  // The answer came after the commit: the store has the closed position and the event.
  const auto events_closed = events("position_closed");
  ASSERT_EQ(events_closed.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(events_closed[0].data)["exit_reason"], "manual");
  // Closed already: conflict. Never issued (or not an id): not_found. Nothing changes.
  EXPECT_EQ(code_of(ask_error<trading::position>(pm, msg::close_position{target.id})),
            msg::errc::conflict);
  for (const char* id : {"99", "0", "01", "", "abc", "1x", "18446744073709551616"})
    EXPECT_EQ(code_of(ask_error<trading::position>(pm, msg::close_position{id})),
              msg::errc::not_found)
        << id;
  EXPECT_EQ(positions().size(), 1u);
  EXPECT_EQ(events("position_closed").size(), 1u);
}

TEST_F(PositionManagerTest, StoppedTradingKeepsStopsActive) {
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  ask<msg::trading_changed>(pm, msg::stop_trading{false});
  scan({{"A-B", 9'000}}, {});
  auto closed = positions("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].exit_reason, trading::exit_reason::stop_loss);
}

TEST_F(PositionManagerTest, EveryStepIsOnTheTimeline) {
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  scan({{"A-B", 10'000}}, {sell("A-B")});
  EXPECT_EQ(events("trading_started").size(), 1u);  // autostart
  EXPECT_EQ(events("order_submitted").size(), 2u);
  EXPECT_EQ(events("order_filled").size(), 2u);
  ASSERT_EQ(events("position_opened").size(), 1u);
  ASSERT_EQ(events("position_closed").size(), 1u);
  EXPECT_NE(events("position_closed")[0].data.find("\"exit_reason\":\"signal\""),
            std::string::npos);
}

TEST_F(PositionManagerTest, LiveModeTradesThroughTheExchangeAndNeverAutostarts) {
  config.mode = msg::trading_mode::live;
  start();
  EXPECT_FALSE(status().trading);
  ask<msg::trading_changed>(pm, msg::start_atom::value);
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  ASSERT_EQ(feed->orders.size(), 1u);
  EXPECT_EQ(feed->orders[0].side, trading::order_side::buy);
  auto open = positions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].entry_price.units(), 1000);  // the exchange's fill price
  // A rejected order books nothing and says why.
  feed->orders_fail = true;
  scan({{"A-B", 10'000}}, {sell("A-B")});
  EXPECT_EQ(positions().size(), 1u);
  ASSERT_EQ(events("order_rejected").size(), 1u);
  EXPECT_NE(events("order_rejected")[0].data.find("simulated rejection"), std::string::npos);
}

TEST_F(PositionManagerTest, CashEquityAndPnlReconcileWithTheFills) {
  config.max_positions = 4;
  config.stake_amount = 0.05;
  start();
  std::mt19937 rng{11};
  std::uniform_int_distribution<std::int64_t> move{-150, 150};
  std::map<std::string, std::int64_t> px{
      {"A-B", 10'000}, {"C-D", 20'000}, {"E-F", 5'000}, {"G-H", 80'000}, {"I-J", 1'000}};
  for (int i = 0; i < 300; ++i) {
    std::vector<std::pair<std::string, std::int64_t>> prices;
    std::vector<trading::opportunity> opps;
    for (auto& [symbol, units] : px) {
      units = std::max<std::int64_t>(100, units + move(rng));
      prices.emplace_back(symbol, units);
      const auto roll = rng() % 6;
      if (roll == 0)
        opps.push_back(buy(symbol, static_cast<double>(rng() % 100)));
      else if (roll == 1)
        opps.push_back(sell(symbol));
    }
    scan(prices, opps);
  }
  // Rebuild cash from the fills on the timeline, independently of the ledger.
  money cash = money::from_double(config.starting_cash);
  for (const auto& e : events("order_filled")) {
    auto j = nlohmann::json::parse(e.data);
    const auto px_units = price::from_double(j["price"].get<double>());
    const auto qty = trading::quantity::from_double(j["quantity"].get<double>());
    const auto fee = money::from_double(j["fee"].get<double>());
    const auto paid = money::from_units(test::notional_units(px_units.units(), qty.units(), true));
    const auto got = money::from_units(test::notional_units(px_units.units(), qty.units(), false));
    if (j["side"] == "buy")
      cash -= paid + fee;
    else
      cash += got - fee;
  }
  const auto s = status();
  EXPECT_GT(events("position_closed").size(), 10u);
  EXPECT_EQ(s.cash, cash);
  EXPECT_EQ(s.equity, s.starting_cash + s.realized_pnl + s.unrealized_pnl);
  money open_value;
  for (const auto& p : positions())
    open_value += money::from_units(test::notional_units(p.mark.units(), p.qty.units(), false));
  EXPECT_EQ(s.equity, s.cash + open_value);
}

TEST_F(PositionManagerTest, RestartResumesFromTheStore) {
  start();
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  const auto before = status();
  restart();  // a new incarnation, from the store
  const auto after = status();
  EXPECT_EQ(after.open_positions, 1u);
  EXPECT_EQ(after.cash, before.cash);
  EXPECT_TRUE(after.trading);
  EXPECT_EQ(events("position_manager_recovered").size(), 1u);
  EXPECT_EQ(events("trading_started").size(), 1u);  // no second autostart
}

}  // namespace
}  // namespace ct::actors::pm_test
