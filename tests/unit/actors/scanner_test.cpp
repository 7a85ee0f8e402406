#include "actors/scanner.hpp"

#include "actor_fixture.hpp"
#include "fakes.hpp"
#include "real_store.hpp"

namespace ct::actors {
namespace {

using std::chrono::milliseconds;

class ScannerTest : public test::actor_fixture {
protected:
  ScannerTest() {
    config.scan_interval_ms = 1000;
    config.strategy.momentum_lookback = 2;
    config.strategy.momentum_threshold_pct = 0.5;
    config.scanner.backoff_initial_ms = 100;
    config.scanner.backoff_max_ms = 1000;
    peers.market_feed = caf::actor_cast<msg::market_feed_actor>(sys.spawn(test::fake_feed, script));
    peers.position_manager =
        caf::actor_cast<msg::position_manager_actor>(sys.spawn(test::fake_position_manager, pm));
  }

  ~ScannerTest() override {
    self->send_exit(scanner_handle, caf::exit_reason::user_shutdown);
    self->send_exit(peers.market_feed, caf::exit_reason::user_shutdown);
    self->send_exit(peers.position_manager, caf::exit_reason::user_shutdown);
    store.stop(self);
    run();
  }

  void start() {
    scanner_handle = sys.spawn(scanner, scanner_deps{store.storage(), clock, peers}, config);
    run();
  }

  std::vector<msg::timeline_event> events(const std::string& type) { return store.events(type); }

  msg::config config;
  std::shared_ptr<test::feed_script> script = std::make_shared<test::feed_script>();
  std::shared_ptr<test::pm_record> pm = std::make_shared<test::pm_record>();
  test::real_store store{sys, clock};
  msg::scanner_peers peers;  // fakes of the feed and the position manager; no broadcaster
  msg::scanner_actor scanner_handle;
};

TEST_F(ScannerTest, FeedsClosedCandlesToTheStrategyEveryIntervalAndReportsSignals) {
  test::candle_tape tape;
  const auto flat = test::prices({{"A-B", 100}, {"C-D", 100}, {"E-F", 100}});
  script->replies = {tape.next(flat), tape.next(flat), tape.next(flat),
                     tape.next(test::prices({{"A-B", 102}, {"C-D", 99}, {"E-F", 100.1}}))};
  start();  // the first scan runs at once
  EXPECT_EQ(script->fetches, 1);
  advance(milliseconds{999});
  EXPECT_EQ(script->fetches, 1);
  advance(milliseconds{1});
  EXPECT_EQ(script->fetches, 2);
  advance(milliseconds{1000});
  advance(milliseconds{1000});
  ASSERT_EQ(script->fetches, 4);
  // Prices only at first; then the candles since the first one not yet seen.
  const auto step = test::candle_tape::step_ms;
  const auto t0 = test::candle_tape::start_ms;
  const std::vector<std::optional<std::int64_t>> since{std::nullopt, t0, t0 + step, t0 + 2 * step};
  EXPECT_EQ(script->since, since);
  const std::vector<std::uint64_t> warmups{100, 0, 0, 0};  // strategy.warmup_candles first
  EXPECT_EQ(script->warmups, warmups);
  auto report = ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value);
  ASSERT_TRUE(report.at.has_value());
  EXPECT_EQ(report.scanned, 3u);
  EXPECT_FALSE(report.on_demand);
  // Closes 100, 100, 102 (A-B) and 100, 100, 99 (C-D) over a lookback of 2 candles.
  ASSERT_EQ(report.opportunities.size(), 2u);
  const auto& a = report.opportunities[0];
  EXPECT_EQ(a.symbol, "A-B");  // +2 % beats -1 %
  EXPECT_EQ(a.action, trading::action::buy);
  EXPECT_DOUBLE_EQ(a.score, 2.0);
  EXPECT_EQ(a.strategy, "momentum");
  EXPECT_EQ(a.reason, "momentum +2.00% over 2 candles");
  EXPECT_EQ(a.signal_ms, t0 + 3 * step);  // the close of the candle that gave it
  EXPECT_EQ(report.opportunities[1].symbol, "C-D");
  EXPECT_EQ(report.opportunities[1].action, trading::action::sell);
  ASSERT_EQ(pm->scans.size(), 4u);
  EXPECT_EQ(pm->scans.back().scans, 4u);
  EXPECT_EQ(pm->scans.back().batch.tickers.size(), 3u);
  EXPECT_EQ(events("scan_completed").size(), 4u);
}

TEST_F(ScannerTest, RunsTheConfiguredStrategyAndStartsAfreshWhenItChanges) {
  config.strategy.name = "sma_crossover";
  config.strategy.fast_period = 1;
  config.strategy.slow_period = 2;
  test::candle_tape tape;
  for (double px : {100.0, 100.0, 99.0, 101.0})
    script->replies.push_back(tape.next(test::prices({{"A-B", px}})));
  start();
  for (int i = 0; i < 3; ++i)
    advance(milliseconds{1000});
  // Closes 100, 99, 101: the close crosses its 2-candle average upwards on the last.
  auto report = ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value);
  ASSERT_EQ(report.opportunities.size(), 1u);
  EXPECT_EQ(report.opportunities[0].strategy, "sma_crossover");
  EXPECT_EQ(report.opportunities[0].action, trading::action::buy);
  auto changed = config;
  changed.strategy.slow_period = 3;
  ask<msg::ok_atom>(scanner_handle, msg::apply_config{changed});
  script->replies.push_back(tape.next(test::prices({{"A-B", 101}})));
  advance(milliseconds{1000});
  // No history under the new parameters yet: no signal, and the next fetch starts afresh.
  report = ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value);
  EXPECT_TRUE(report.opportunities.empty());
  EXPECT_FALSE(script->since.back().has_value());
}

TEST_F(ScannerTest, OnlyEnabledSymbolsAreScanned) {
  config.strategy.symbols = {"A-B"};
  test::candle_tape tape;
  script->replies = {tape.next(test::prices({{"A-B", 100}, {"C-D", 100}})),
                     tape.next(test::prices({{"A-B", 100}, {"C-D", 100}})),
                     tape.next(test::prices({{"A-B", 100}, {"C-D", 100}})),
                     tape.next(test::prices({{"A-B", 102}, {"C-D", 90}}))};
  start();
  for (int i = 0; i < 3; ++i)
    advance(milliseconds{1000});
  auto report = ask<msg::scan_report>(scanner_handle, msg::get_scan_atom::value);
  EXPECT_EQ(report.scanned, 1u);
  ASSERT_EQ(report.opportunities.size(), 1u);
  EXPECT_EQ(report.opportunities[0].symbol, "A-B");
}

TEST_F(ScannerTest, BacksOffExponentiallyOnExchangeErrorsAndRecords) {
  const auto down = msg::actor_error(msg::errc::exchange_unavailable, "simulated outage");
  script->replies = {down, down, down, down, test::make_batch({{"A-B", 100}})};
  start();
  EXPECT_EQ(script->fetches, 1);
  for (int expected : {100, 200, 400, 800}) {
    advance(milliseconds{expected - 1});
    const int before = script->fetches;
    advance(milliseconds{1});
    EXPECT_EQ(script->fetches, before + 1) << "retry after " << expected << " ms";
  }
  const auto errors = events("exchange_error");
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_NE(errors[0].data.find("\"retry_in_ms\":100"), std::string::npos) << errors[0].data;
  EXPECT_NE(errors[3].data.find("\"retry_in_ms\":800"), std::string::npos) << errors[3].data;
  EXPECT_NE(errors[0].data.find("simulated outage"), std::string::npos);
  EXPECT_EQ(events("exchange_recovered").size(), 1u);
  ASSERT_GE(pm->health.size(), 2u);
  EXPECT_EQ(pm->health.front().state, msg::health::degraded);
  EXPECT_EQ(pm->health.back().state, msg::health::ok);
  // Recovered: back to the scan interval.
  script->replies = {test::make_batch({{"A-B", 100}})};
  advance(milliseconds{999});
  EXPECT_EQ(script->fetches, 5);
  advance(milliseconds{1});
  EXPECT_EQ(script->fetches, 6);
}

TEST_F(ScannerTest, BackoffIsCappedAtTheMaximum) {
  const auto down = msg::actor_error(msg::errc::exchange_unavailable, "down");
  for (int i = 0; i < 8; ++i)
    script->replies.push_back(down);
  start();
  for (int expected : {100, 200, 400, 800, 1000, 1000}) {
    advance(milliseconds{expected - 1});
    const int before = script->fetches;
    advance(milliseconds{1});
    EXPECT_EQ(script->fetches, before + 1) << "retry after " << expected << " ms";
  }
}

TEST_F(ScannerTest, OnDemandRequestsShareTheNextScan) {
  script->hold = true;
  for (int i = 0; i < 3; ++i)
    script->replies.push_back(test::make_batch({{"A-B", 100}}));
  start();  // periodic scan #1 is waiting for the exchange
  ASSERT_EQ(script->fetches, 1);
  std::vector<decltype(self->request(scanner_handle, caf::infinite, msg::scan_now_atom::value))>
      handles;
  for (int i = 0; i < 3; ++i)
    handles.push_back(self->request(scanner_handle, caf::infinite, msg::scan_now_atom::value));
  run();
  EXPECT_EQ(script->fetches, 1);  // queued behind the scan in flight
  auto feed = caf::actor_cast<caf::actor>(peers.market_feed);
  self->send(feed, test::release_atom::value);
  run();
  EXPECT_EQ(script->fetches, 2);  // one scan for all three requests
  self->send(feed, test::release_atom::value);
  run();
  int answered = 0;
  for (auto& h : handles)
    h.receive(
        [&](msg::scan_report& r) {
          EXPECT_TRUE(r.on_demand);
          ++answered;
        },
        [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
  EXPECT_EQ(answered, 3);
  ASSERT_FALSE(pm->scans.empty());
  EXPECT_EQ(pm->scans.back().scans, 2u);
}

TEST_F(ScannerTest, OnDemandScanFailsWithTheExchangeError) {
  script->replies = {test::make_batch({{"A-B", 100}}),
                     msg::actor_error(msg::errc::exchange_unavailable, "simulated outage")};
  start();
  auto e = ask_error<msg::scan_report>(scanner_handle, msg::scan_now_atom::value);
  EXPECT_EQ(code_of(e), msg::errc::exchange_unavailable);
}

TEST_F(ScannerTest, NewIntervalTakesEffectAtOnce) {
  for (int i = 0; i < 5; ++i)
    script->replies.push_back(test::make_batch({{"A-B", 100}}));
  start();
  auto changed = config;
  changed.scan_interval_ms = 200;
  EXPECT_EQ(ask<msg::ok_atom>(scanner_handle, msg::apply_config{changed}), msg::ok_atom::value);
  advance(milliseconds{199});
  EXPECT_EQ(script->fetches, 1);
  advance(milliseconds{1});
  EXPECT_EQ(script->fetches, 2);
  advance(milliseconds{200});
  EXPECT_EQ(script->fetches, 3);
}

}  // namespace
}  // namespace ct::actors
