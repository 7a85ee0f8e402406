// Parity: the live path (the simulated exchange replaying the bundled candles, the market feed,
// the scanner and the position manager, paper fills) and the backtester over the same candles
// make the same trades, to the unit. The actors run on the deterministic scheduler, each scan
// at a candle's open (scan_interval_ms is one candle at the replay's speed, or a fraction of
// one) with no spread, so that the live bot sees each candle's open as the backtester does.
#include <map>
#include <sstream>
#include <tuple>

#include "actor_fixture.hpp"
#include "actors/market_feed.hpp"
#include "actors/position_manager.hpp"
#include "actors/scanner.hpp"
#include "messages/trading_config.hpp"
#include "real_store.hpp"
#include "trading/backtest.hpp"

namespace ct::actors {
namespace {

using std::chrono::milliseconds;

/// What must agree, per trade: entry and exit prices, quantity, fees, why it closed.
using row =
    std::tuple<std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::string>;
using by_symbol = std::map<std::string, std::vector<row>>;

std::string show(const by_symbol& trades) {
  std::ostringstream out;
  for (const auto& [symbol, rows] : trades)
    for (const auto& [entry, qty, exit, entry_fee, exit_fee, why] : rows)
      out << symbol << " entry=" << entry << " qty=" << qty << " exit=" << exit
          << " fees=" << entry_fee << "+" << exit_fee << " " << why << "\n";
  return out.str();
}

class ParityTest : public test::actor_fixture {
protected:
  ParityTest() {
    config.exchange.spread_pct = 0;
    config.exchange.speed = 60;  // a 5-minute candle every 5 s
    config.stream.book_interval_ms = 3'600'000;
  }

  ~ParityTest() override {
    for (auto h : {caf::actor_cast<caf::actor>(scanner_handle), caf::actor_cast<caf::actor>(pm),
                   caf::actor_cast<caf::actor>(feed)})
      self->send_exit(h, caf::exit_reason::user_shutdown);
    store.stop(self);
    run();
  }

  /// Runs the live path over `candles` candles, `per_candle` scans each (the first at the open);
  /// returns the open of the last scan's candle.
  std::int64_t run_live(int candles, int per_candle) {
    config.scan_interval_ms = 5000 / per_candle;
    feed = sys.spawn(market_feed, market_feed_deps{market, clock, {}, false, {}}, config);
    pm = sys.spawn(
        position_manager,
        position_manager_deps{store.storage(), store.reader(), clock, {}, "BTC", {feed, {}}},
        config);
    scanner_handle =
        sys.spawn(scanner, scanner_deps{store.storage(), clock, {feed, pm, {}}}, config);
    run();  // the first scan: the candle forming at the replay's start
    first_ms = ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value).market_ms;
    for (int i = 0; i < candles * per_candle; ++i)
      advance(milliseconds{config.scan_interval_ms});
    EXPECT_EQ(ask<msg::status_snapshot>(pm, msg::status_atom::value).scans,
              static_cast<std::uint64_t>(candles * per_candle) + 1);
    return ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value).market_ms;
  }

  /// Runs the live path and the backtester and compares their trades.
  void check(int candles, int per_candle, std::size_t at_least) {
    const std::int64_t last_ms = run_live(candles, per_candle);
    ASSERT_EQ(last_ms, first_ms + candles * market->step_ms());
    // The backtest over the candles the live bot saw, and the one it entered at last.
    std::vector<trading::candle_series> data;
    for (std::size_t i = 0; i < market->size(); ++i)
      data.push_back(market->series(i));
    auto settings = msg::backtest_settings_of(config);
    settings.from_ms = first_ms;
    settings.to_ms = last_ms + market->step_ms();
    auto bt = trading::run_backtest(data, settings);
    ASSERT_TRUE(bt.ok()) << bt.err().message;
    const auto& r = bt.value();
    // Trades the backtest closed by the last scan's open are the live bot's closed positions;
    // the others (closed along the last candle or at the end of the data) are still open live.
    by_symbol bt_closed;
    by_symbol bt_open;
    for (const auto& t : r.trades) {
      const auto& symbol = r.symbols[t.symbol];
      if (t.exit_ms <= last_ms)
        bt_closed[symbol].emplace_back(t.entry_price.units(), t.qty.units(), t.exit_price.units(),
                                       t.entry_fee.units(), t.exit_fee.units(),
                                       trading::to_string(t.exit_reason));
      else
        bt_open[symbol].emplace_back(t.entry_price.units(), t.qty.units(), 0, t.entry_fee.units(),
                                     0, "");
    }
    // The live side as the store committed it.
    const auto stored = store.load_ledger();
    by_symbol live_closed;
    by_symbol live_open;
    std::size_t closed_count = 0;
    for (const auto& p : stored.recent_closed) {
      live_closed[p.symbol].emplace_back(p.entry_price.units(), p.qty.units(), p.exit_price.units(),
                                         p.entry_fee.units(), p.exit_fee.units(),
                                         trading::to_string(*p.exit_reason));
      ++closed_count;
    }
    for (const auto& p : stored.open)
      live_open[p.symbol].emplace_back(p.entry_price.units(), p.qty.units(), 0, p.entry_fee.units(),
                                       0, "");
    EXPECT_GE(closed_count, at_least) << "too few trades to compare";
    EXPECT_EQ(show(live_closed), show(bt_closed));
    EXPECT_EQ(show(live_open), show(bt_open));
  }

  msg::config config;
  test::real_store store{sys, clock};  // every batch the position manager sends commits
  std::shared_ptr<const trading::market_data> market = test::bundled_market();
  msg::market_feed_actor feed;
  msg::position_manager_actor pm;
  msg::scanner_actor scanner_handle;
  std::int64_t first_ms = 0;
};

TEST_F(ParityTest, MomentumWithStopsAndTargetsScanningTwicePerCandle) {
  // A signal is acted on once, at the first scan after its candle closed, not mid-candle.
  check(1500, 2, 300);
}

TEST_F(ParityTest, SmaCrossoverWithTrailingStopTimeLimitAndCooldown) {
  config.strategy.name = "sma_crossover";
  config.risk.trailing_stop_pct = 1.0;
  config.risk.time_limit_min = 120;
  config.risk.cooldown_min = 30;
  check(1500, 1, 100);
}

TEST_F(ParityTest, RsiReversionWithFewerSlotsThanSignals) {
  config.strategy.name = "rsi_reversion";
  config.max_positions = 2;
  config.stake_amount = 0.3;
  check(1500, 1, 50);
}

}  // namespace
}  // namespace ct::actors
