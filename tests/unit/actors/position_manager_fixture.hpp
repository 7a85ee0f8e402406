// The position manager's test fixture: a real store on a temporary database, a scripted market
// feed behind its typed interface, and scans built from a candle tape.
#pragma once

#include <random>

#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"
#include "actors/position_manager.hpp"
#include "fakes.hpp"
#include "real_store.hpp"
#include "reference_money.hpp"

namespace ct::actors::pm_test {

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
    if (account)
      self->send_exit(account, caf::exit_reason::user_shutdown);
    store.stop(self);
    run();
  }

  void start() {
    position_manager_deps deps{store.storage(), store.reader(), clock, saved, "BTC", peers};
    deps.account = account;
    pm = sys.spawn(position_manager, deps, config);
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
  msg::binance_account_actor account;  // live on Binance: a fake account (none: not Binance)
  std::uint64_t scans = 0;
  std::uint64_t scanner_id = 1;  // the scanner the scans come from
  test::candle_tape tape;
  std::int64_t market_ms = test::candle_tape::start_ms;  // the exchange's clock in the next scan
};

inline constexpr std::int64_t minute_ms = 60'000;

}  // namespace ct::actors::pm_test
