#include "actors/supervisor.hpp"

#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"
#include "real_store.hpp"

namespace ct::actors {
namespace {

using std::chrono::milliseconds;

class SupervisorTest : public test::actor_fixture {
protected:
  SupervisorTest() {
    config.supervisor.backoff_initial_ms = 100;
    config.supervisor.backoff_max_ms = 1000;
    config.supervisor.restart_limit = 3;
    config.supervisor.heartbeat_ms = 0;  // no timers beyond the ones a test moves
  }

  ~SupervisorTest() override {
    if (sup) {
      self->send(sup, msg::shutdown_atom::value);
      run();
    }
    store.stop(self);
    run();
  }

  void start() {
    sup = sys.spawn(supervisor,
                    supervisor_deps{store.storage(), store.reader(), ports, clock,
                                    test::bundled_market(), nullptr, false, "test"},
                    config);
    run();
  }

  std::map<std::string, std::string> health() {
    return names(ask<msg::health_snapshot>(sup, msg::health_atom::value).actors);
  }

  static std::map<std::string, std::string> names(
      const std::map<std::string, msg::actor_state>& states) {
    std::map<std::string, std::string> out;
    for (const auto& [actor, state] : states)
      out[actor] = std::string{msg::name_of(state)};
    return out;
  }

  msg::status_snapshot status() {
    return ask<msg::status_snapshot>(ports->get(&msg::http_ports::position_manager),
                                     msg::status_atom::value);
  }

  void kill(const std::string& name) {
    if (name == "position_manager")
      self->send_exit(ports->get(&msg::http_ports::position_manager), caf::exit_reason::kill);
    else if (name == "scanner")
      self->send_exit(ports->get(&msg::http_ports::scanner), caf::exit_reason::kill);
    else if (name == "timeline")
      self->send_exit(ports->get(&msg::http_ports::timeline), caf::exit_reason::kill);
    else
      self->send_exit(ports->get(&msg::http_ports::market_feed), caf::exit_reason::kill);
    run();
  }

  std::vector<msg::timeline_event> events(const std::string& type) {
    msg::get_timeline q;
    q.limit = 1000;
    q.type = type;
    return ask<msg::timeline_page>(ports->get(&msg::http_ports::timeline), q).events;
  }

  caf::error patch_error(const std::string& patch) {
    return ask_error<msg::config>(sup, msg::apply_config_patch{patch});
  }

  msg::config config;
  test::real_store store{sys, clock};
  msg::supervisor_actor sup;
};

TEST_F(SupervisorTest, StartsEveryActorInOrderAndReportsThemUp) {
  start();
  for (const auto& [name, state] : health())
    EXPECT_EQ(state, "up") << name;
  EXPECT_EQ(health().size(), 6u);  // the five children and the store
  EXPECT_TRUE(ports->get(&msg::http_ports::scanner));
  EXPECT_EQ(events("service_started").size(), 1u);
  EXPECT_EQ(status().scans, 1u);  // the scanner's first scan reached the position manager
}

TEST_F(SupervisorTest, SiblingsReachARestartedActorAtItsNewAddress) {
  config.scan_interval_ms = 1000;
  start();
  const auto before = status().scans;
  kill("position_manager");  // the scanner sends its scans to the new one
  kill("market_feed");       // and fetches from the new feed
  advance(milliseconds{100});
  EXPECT_EQ(health()["position_manager"], "up");
  EXPECT_EQ(health()["market_feed"], "up");
  const auto errors = events("exchange_error").size();
  advance(milliseconds{1000});  // the next periodic scan
  EXPECT_EQ(events("exchange_error").size(), errors);
  EXPECT_GT(status().scans, before);  // it reached the new position manager
}

TEST_F(SupervisorTest, RestartsAFailedActorAfterBackoffAndItRecoversItsState) {
  start();
  ask<msg::trading_changed>(ports->get(&msg::http_ports::position_manager),
                            msg::stop_trading{false});
  kill("position_manager");
  EXPECT_EQ(health()["position_manager"], "restarting");
  EXPECT_FALSE(ports->get(&msg::http_ports::position_manager));
  advance(milliseconds{99});
  EXPECT_EQ(health()["position_manager"], "restarting");
  advance(milliseconds{1});
  EXPECT_EQ(health()["position_manager"], "up");
  const auto s = status();
  EXPECT_FALSE(s.trading);  // from the store, not autostart again
  EXPECT_EQ(s.restarts.at("position_manager"), 1u);
  EXPECT_EQ(events("actor_restarted").size(), 1u);
  // A second failure within the window waits twice as long.
  kill("position_manager");
  advance(milliseconds{199});
  EXPECT_EQ(health()["position_manager"], "restarting");
  advance(milliseconds{1});
  EXPECT_EQ(health()["position_manager"], "up");
  EXPECT_EQ(status().restarts.at("position_manager"), 2u);
}

TEST_F(SupervisorTest, TimelineRestartKeepsItsEventsAndSeq) {
  start();
  const auto before = events("service_started");
  ASSERT_EQ(before.size(), 1u);
  kill("timeline");
  advance(milliseconds{100});
  EXPECT_EQ(health()["timeline"], "up");
  const auto after = events("service_started");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].seq, before[0].seq);
  // What happened while it was down was stashed and recorded once it came back.
  EXPECT_EQ(events("actor_down").size(), 1u);
}

TEST_F(SupervisorTest, GivesUpAfterTheRestartLimit) {
  config.supervisor.restart_limit = 2;
  start();
  for (int i = 0; i < 2; ++i) {
    kill("scanner");
    advance(milliseconds{1000});
    EXPECT_EQ(health()["scanner"], "up");
  }
  kill("scanner");
  EXPECT_EQ(health()["scanner"], "failed");
  advance(milliseconds{10'000});
  EXPECT_EQ(health()["scanner"], "failed");
  EXPECT_EQ(events("actor_failed").size(), 1u);
}

TEST_F(SupervisorTest, RestartsOlderThanTheWindowNoLongerCount) {
  config.supervisor.restart_limit = 2;
  config.supervisor.restart_window_s = 60;
  start();
  for (int i = 0; i < 2; ++i) {
    kill("scanner");
    advance(milliseconds{1000});
    EXPECT_EQ(health()["scanner"], "up");
  }
  advance(milliseconds{61'000});  // both restarts now lie outside the window
  kill("scanner");
  advance(milliseconds{1000});
  EXPECT_EQ(health()["scanner"], "up");
  EXPECT_TRUE(events("actor_failed").empty());
  kill("scanner");  // but two within 60 s are the limit again
  advance(milliseconds{1000});
  EXPECT_EQ(health()["scanner"], "up");
  kill("scanner");
  EXPECT_EQ(health()["scanner"], "failed");
}

TEST_F(SupervisorTest, AppliesAValidPatchToEveryActor) {
  start();
  auto next = ask<msg::config>(
      sup, msg::apply_config_patch{R"({"scan_interval_ms":100,"risk":{"stop_loss_pct":2}})"});
  EXPECT_EQ(next.scan_interval_ms, 100);
  EXPECT_EQ(next.risk.stop_loss_pct, 2.0);
  EXPECT_EQ(next.risk.take_profit_pct, 1.5);  // merged, not replaced
  EXPECT_EQ(status().scan_interval_ms, 100);
  EXPECT_EQ(ask<msg::config>(sup, msg::get_config_atom::value).scan_interval_ms, 100);
  auto changed = events("config_changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_NE(changed[0].data.find("scan_interval_ms"), std::string::npos);
  // Setting a start-up-only key to its running value is a no-op.
  ask<msg::config>(sup, msg::apply_config_patch{R"({"port":9012})"});
}

TEST_F(SupervisorTest, RejectedPatchesChangeNothing) {
  start();
  const auto before = ask<msg::config>(sup, msg::get_config_atom::value);
  EXPECT_EQ(code_of(patch_error(R"({"scan_interval_ms":10})")), msg::errc::invalid_value);
  EXPECT_EQ(code_of(patch_error(R"({"nope":1})")), msg::errc::unknown_key);
  EXPECT_EQ(code_of(patch_error(R"({"strategy":{"symbols":["BTC-USD"]}})")),
            msg::errc::unknown_symbol);
  EXPECT_EQ(code_of(patch_error(R"({"port":1234})")), msg::errc::restart_required);
  EXPECT_EQ(code_of(patch_error(R"({"api_token":null,"data_dir":"/tmp"})")),
            msg::errc::restart_required);
  // Invalid and start-up-only at once: 422 first.
  EXPECT_EQ(code_of(patch_error(R"({"port":1234,"max_positions":-1})")), msg::errc::invalid_value);
  const auto after = ask<msg::config>(sup, msg::get_config_atom::value);
  EXPECT_EQ(msg::to_json(after, false), msg::to_json(before, false));
  EXPECT_TRUE(events("config_changed").empty());
}

TEST_F(SupervisorTest, AnActorThatStopsAnsweringIsUnresponsiveUntilItAnswersAgain) {
  config.supervisor.heartbeat_ms = 100;
  start();
  auto* scanner = caf::actor_cast<caf::abstract_actor*>(ports->get(&msg::http_ports::scanner));
  // Everything runs except the scanner, which therefore misses its heartbeats (timeout 1 s).
  auto others = [scanner](caf::resumable* r) {
    return dynamic_cast<caf::abstract_actor*>(r) != scanner;
  };
  auto health_without_scanner = [&] {
    auto rh = self->request(sup, caf::infinite, msg::health_atom::value);
    sched.run_jobs_filtered(others);
    std::map<std::string, std::string> out;
    rh.receive([&](msg::health_snapshot& h) { out = names(h.actors); },
               [&](caf::error& e) { ADD_FAILURE() << sys.render(e); });
    return out;
  };
  for (int i = 0; i < 12; ++i) {
    clock->advance(milliseconds{100});
    sched.advance_time(milliseconds{100});
    sched.run_jobs_filtered(others);
  }
  auto h = health_without_scanner();
  EXPECT_EQ(h["scanner"], "unresponsive");
  EXPECT_EQ(h["position_manager"], "up");
  // It catches up: the next heartbeat it answers makes it up again.
  run();
  advance(milliseconds{100});
  EXPECT_EQ(health()["scanner"], "up");
  EXPECT_EQ(events("actor_unresponsive").size(), 1u);
  EXPECT_EQ(events("actor_responsive").size(), 1u);
}

TEST_F(SupervisorTest, ShutdownStopsEveryActorInReverseOrder) {
  start();
  EXPECT_EQ(ask<msg::ok_atom>(sup, msg::shutdown_atom::value), msg::ok_atom::value);
  EXPECT_FALSE(ports->get(&msg::http_ports::scanner));
  EXPECT_FALSE(ports->get(&msg::http_ports::position_manager));
  EXPECT_FALSE(ports->get(&msg::http_ports::market_feed));
  EXPECT_FALSE(ports->get(&msg::http_ports::timeline));
  sup = nullptr;
}

}  // namespace
}  // namespace ct::actors
