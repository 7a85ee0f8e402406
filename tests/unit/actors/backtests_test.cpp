#include "actors/backtests.hpp"

#include <cmath>

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"
#include "real_store.hpp"

namespace ct::actors {
namespace {

/// Answers get_config with the configuration it was given, as the supervisor does.
caf::behavior fake_supervisor(caf::event_based_actor*, msg::config cfg) {
  return {[cfg](msg::get_config_atom) { return cfg; }};
}

class BacktestsTest : public test::actor_fixture {
protected:
  BacktestsTest() {
    config.strategy.name = "momentum";
    sup = caf::actor_cast<msg::supervisor_actor>(sys.spawn(fake_supervisor, config));
    bt = sys.spawn(backtests,
                   backtests_deps{store.storage(), sup, clock, test::bundled_market(), false});
    run();
  }

  ~BacktestsTest() override {
    self->send_exit(bt, caf::exit_reason::user_shutdown);
    self->send_exit(sup, caf::exit_reason::user_shutdown);
    store.stop(self);
    run();
  }

  std::vector<std::string> event_types() { return store.types(); }

  msg::config config;
  test::real_store store{sys, clock};
  msg::supervisor_actor sup;
  msg::backtests_actor bt;
};

msg::start_backtest with_set(const std::string& key, nlohmann::json value) {
  msg::start_backtest s;
  s.patches.push_back(msg::dotted_patch(key, std::move(value)).dump());
  s.patch_sources.push_back("set." + key);
  return s;
}

TEST_F(BacktestsTest, ARunIsAcceptedOnceLoadedThenItsReportIsThere) {
  auto a = ask<msg::backtest_accepted>(bt, with_set("strategy.name", "rsi_reversion"));
  EXPECT_EQ(a.candles, 34'512u);
  auto s = ask<msg::backtest_state>(bt, msg::get_backtest{a.id});
  EXPECT_EQ(s.status, msg::backtest_status::completed);
  EXPECT_EQ(s.candles_done, 34'512u);
  const auto report = nlohmann::json::parse(s.report);
  EXPECT_EQ(report["strategy"], "rsi_reversion");
  EXPECT_EQ(report["candles"], 34'512);
  EXPECT_EQ(event_types(), (std::vector<std::string>{"backtest_started", "backtest_completed"}));
}

TEST_F(BacktestsTest, OneRunAtATime) {
  // Both requests arrive before anything runs: the second finds the first under way.
  auto first = self->request(bt, caf::infinite, msg::start_backtest{});
  auto second = self->request(bt, caf::infinite, msg::start_backtest{});
  run();
  std::vector<std::string> outcomes;
  for (auto* h : {&first, &second})
    h->receive([&](msg::backtest_accepted&) { outcomes.push_back("accepted"); },
               [&](caf::error& e) { outcomes.push_back(to_string(*code_of(e))); });
  std::sort(outcomes.begin(), outcomes.end());
  EXPECT_EQ(outcomes, (std::vector<std::string>{"accepted", "conflict"}));
  // Once it completed, the next one runs.
  ask<msg::backtest_accepted>(bt, msg::start_backtest{});
}

TEST_F(BacktestsTest, StoppingCancelsTheRunInProgressAndAnswersOnceItEnded) {
  const auto before = sys.registry().running();
  auto started = self->request(bt, caf::infinite, msg::start_backtest{});
  // Step until the worker exists but has not run: the stop comes in between.
  while (sys.registry().running() == before)
    ASSERT_TRUE(sched.try_run_once()) << "no worker was spawned";
  auto stopped = self->request(bt, caf::infinite, msg::shutdown_atom::value);
  ASSERT_TRUE(sched.prioritize(bt));
  ASSERT_TRUE(
      sched.try_run_once());  // the backtests actor takes the stop: the flag is set, no answer yet
  EXPECT_EQ(self->mailbox().size(), 0u);
  run();  // the worker starts, sees the flag and reports a cancelled run
  std::string id;
  started.receive([&](msg::backtest_accepted& a) { id = a.id; },
                  [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
  bool ok = false;
  stopped.receive([&](msg::ok_atom) { ok = true; },
                  [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
  EXPECT_TRUE(ok);
  EXPECT_EQ(ask<msg::backtest_state>(bt, msg::get_backtest{id}).status,
            msg::backtest_status::cancelled);
  const auto completed = store.events("backtest_completed");
  ASSERT_EQ(completed.size(), 1u);
  const auto data = nlohmann::json::parse(completed[0].data);
  EXPECT_EQ(data["id"], id);
  EXPECT_EQ(data["cancelled"], true);
  EXPECT_EQ(data["candles"], 0);
  // A stopping service starts no new run.
  EXPECT_EQ(code_of(ask_error<msg::backtest_accepted>(bt, msg::start_backtest{})),
            msg::errc::actor_unavailable);
}

TEST_F(BacktestsTest, ARunThatFailsAfterItsAcceptanceIsFailedOnTheTimelineAndFreesTheSlot) {
  self->send(bt, msg::fail_next_atom::value);  // the worker throws at its first progress report
  const auto a = ask<msg::backtest_accepted>(bt, msg::start_backtest{});
  const auto s = ask<msg::backtest_state>(bt, msg::get_backtest{a.id});
  EXPECT_EQ(s.status, msg::backtest_status::failed);
  EXPECT_EQ(s.error, "the backtest failed: fault injected at the first progress report");
  EXPECT_TRUE(s.report.empty());
  const auto failed = store.events("backtest_failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(failed[0].data),
            (nlohmann::json{{"id", a.id}, {"error", s.error}}));
  EXPECT_EQ(event_types(), (std::vector<std::string>{"backtest_started", "backtest_failed"}));
  // The switch fires once, and the slot is free: the next run completes.
  const auto next = ask<msg::backtest_accepted>(bt, msg::start_backtest{});
  EXPECT_EQ(ask<msg::backtest_state>(bt, msg::get_backtest{next.id}).status,
            msg::backtest_status::completed);
}

TEST_F(BacktestsTest, StoppingWithNothingRunningAnswersAtOnce) {
  ask<msg::ok_atom>(bt, msg::shutdown_atom::value);
}

TEST_F(BacktestsTest, BadSettingsAndFilesAreRefusedAndStartNothing) {
  auto e = ask_error<msg::backtest_accepted>(bt, with_set("risk.stop_loss_pct", -1));
  EXPECT_EQ(code_of(e), msg::errc::invalid_value);
  EXPECT_EQ(msg::field_of(e), "risk.stop_loss_pct");
  msg::start_backtest missing;
  missing.data = {"/no/such/ADA_BTC-5m.csv"};
  e = ask_error<msg::backtest_accepted>(bt, missing);
  EXPECT_NE(msg::message_of(e, "").find("/no/such/ADA_BTC-5m.csv"), std::string::npos);
  msg::start_backtest empty_range;
  empty_range.from_ms = 4'000'000'000'000;
  e = ask_error<msg::backtest_accepted>(bt, empty_range);
  EXPECT_NE(msg::message_of(e, "").find("no candles"), std::string::npos);
  EXPECT_TRUE(event_types().empty());
  e = ask_error<msg::backtest_state>(bt, msg::get_backtest{"bt-nope"});
  EXPECT_EQ(code_of(e), msg::errc::not_found);
  ask<msg::backtest_accepted>(bt, msg::start_backtest{});  // nothing was left running
}

TEST_F(BacktestsTest, OnlyTheLastSixteenRunsAreKept) {
  std::vector<std::string> ids;
  for (int i = 0; i < 18; ++i) {
    msg::start_backtest s;
    s.to_ms = test::bundled_market()->start_ms() + 3'600'000;  // an hour: quick
    ids.push_back(ask<msg::backtest_accepted>(bt, s).id);
  }
  EXPECT_EQ(code_of(ask_error<msg::backtest_state>(bt, msg::get_backtest{ids[1]})),
            msg::errc::not_found);
  EXPECT_EQ(ask<msg::backtest_state>(bt, msg::get_backtest{ids[2]}).status,
            msg::backtest_status::completed);
}

TEST_F(BacktestsTest, TheLastTwoRunsKeepTheirCandlesForTheirCharts) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    msg::start_backtest s;
    s.to_ms = test::bundled_market()->start_ms() + 86'400'000;  // a day
    ids.push_back(ask<msg::backtest_accepted>(bt, s).id);
  }
  const auto m = test::bundled_market();
  const auto& series = m->series(3).candles;  // XLM-BTC's: the run's own data
  msg::get_backtest_candles q{ids[2], "XLM-BTC", 50, series[200].open_time_ms};
  const auto page = ask<msg::candles_page>(bt, q);
  ASSERT_EQ(page.candles.size(), 50u);
  EXPECT_EQ(page.candles.front().open_time_ms, series[150].open_time_ms);
  EXPECT_EQ(page.candles.back().close, series[199].close);
  EXPECT_EQ(page.next_before, series[150].open_time_ms);
  EXPECT_EQ(page.strategy, "momentum");
  ASSERT_EQ(page.lines.size(), 1u);  // momentum's percent change, warmed up by the candles before
  ASSERT_EQ(page.lines[0].values.size(), 50u);
  EXPECT_TRUE(std::isfinite(page.lines[0].values.front()));
  q.symbol = "BTC-USD";
  EXPECT_EQ(code_of(ask_error<msg::candles_page>(bt, q)), msg::errc::unknown_symbol);
  q = {ids[0], "XLM-BTC", 50, {}};  // the oldest of three: no longer kept
  EXPECT_EQ(code_of(ask_error<msg::candles_page>(bt, q)), msg::errc::not_found);
  q.id = ids[1];
  EXPECT_EQ(ask<msg::candles_page>(bt, q).candles.size(), 50u);
}

}  // namespace
}  // namespace ct::actors
