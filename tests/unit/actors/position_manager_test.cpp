#include "actors/position_manager.hpp"

#include <random>

#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"
#include "fakes.hpp"
#include "real_store.hpp"
#include "reference_money.hpp"

namespace ct::actors {
namespace {

using trading::money;
using trading::price;

class PositionManagerTest : public test::actor_fixture {
protected:
  PositionManagerTest() {
    config.max_positions = 2;
    config.stake_amount = 0.1;
    config.starting_cash = 1.0;
    config.paper.fee_pct = 0.1;
    config.paper.slippage_pct = 0.05;
    config.risk.take_profit_pct = 1.5;
    config.risk.stop_loss_pct = 1.0;
    peers.market_feed = caf::actor_cast<msg::market_feed_actor>(sys.spawn(test::fake_feed, feed));
  }

  ~PositionManagerTest() override {
    self->send_exit(pm, caf::exit_reason::user_shutdown);
    self->send_exit(peers.market_feed, caf::exit_reason::user_shutdown);
    store.stop(self);
    run();
  }

  void start() {
    pm = sys.spawn(
        position_manager,
        position_manager_deps{store.storage(), store.reader(), clock, saved, "BTC", peers}, config);
    run();
  }

  /// The next batch at `market_ms` (a candle's open): every symbol's price moved to `units`
  /// along the candles that closed since the last scan (bid a unit below, ask a unit above), with
  /// these opportunities, each signalled by the candle that just closed.
  void scan(std::vector<std::pair<std::string, std::int64_t>> prices,
            std::vector<trading::opportunity> opps, bool on_demand = false) {
    std::vector<std::pair<std::string, price>> pxs;
    for (auto& [symbol, units] : prices)
      pxs.emplace_back(symbol, price::from_units(units));
    msg::scan_completed sc;
    sc.batch = tape.at(market_ms, pxs);
    for (auto& o : opps)
      o.signal_ms = market_ms;
    sc.report.at = clock->now();
    sc.report.opportunities = std::move(opps);
    sc.report.on_demand = on_demand;
    sc.scans = ++scans;
    sc.scanner_id = scanner_id;
    self->send(pm, sc);
    run();
    market_ms += test::candle_tape::step_ms;
  }

  static trading::opportunity buy(std::string symbol, double score) {
    return {std::move(symbol),
            trading::action::buy,
            score,
            price::from_units(10'000),
            "momentum",
            "test",
            0};
  }

  static trading::opportunity sell(std::string symbol) {
    return {std::move(symbol),
            trading::action::sell,
            -1,
            price::from_units(10'000),
            "momentum",
            "test",
            0};
  }

  std::vector<trading::position> positions(std::string state = "open") {
    const auto filter = msg::parse_kind<msg::position_filter>(state);
    EXPECT_TRUE(filter.has_value()) << state;
    return ask<msg::positions_snapshot>(pm, msg::get_positions{*filter, ""}).positions;
  }

  /// A 2 % trailing stop: A-B entered at 10'007, then a high of 11'000 raises its stop to 10'780.
  void enter_and_raise_the_trailing_stop() {
    config.risk.trailing_stop_pct = 2;
    config.risk.take_profit_pct = 0;
    start();
    scan({{"A-B", 10'000}}, {buy("A-B", 1)});
    scan({{"A-B", 11'000}}, {});
  }

  /// A-B closed through its raised stop, at the stop's level.
  void expect_closed_at_the_trailing_stop() {
    auto closed = positions("closed");
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_EQ(*closed[0].exit_reason, trading::exit_reason::trailing_stop);
    EXPECT_EQ(closed[0].exit_price.units(), 10'774);  // 10'780 - 0.05 %, rounded down
  }

  /// Crashes the position manager; a new one starts from what the store committed, as the
  /// supervisor restarts it.
  void restart() {
    self->send_exit(pm, caf::exit_reason::kill);
    run();
    saved = store.load_ledger();
    start();
  }

  msg::status_snapshot status() { return ask<msg::status_snapshot>(pm, msg::status_atom::value); }

  std::vector<msg::timeline_event> events(const std::string& type) { return store.events(type); }

  msg::config config;
  test::real_store store{sys, clock};
  std::shared_ptr<test::feed_script> feed = std::make_shared<test::feed_script>();
  msg::position_manager_peers peers;  // a fake feed; no broadcaster
  msg::saved_ledger saved;  // what start() resumes from: nothing, or the store's after a crash
  msg::position_manager_actor pm;
  std::uint64_t scans = 0;
  std::uint64_t scanner_id = 1;  // the scanner the scans come from
  test::candle_tape tape;
  std::int64_t market_ms = test::candle_tape::start_ms;  // the exchange's clock in the next scan
};

constexpr std::int64_t minute_ms = 60'000;

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
}  // namespace ct::actors
