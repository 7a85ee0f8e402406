// The routes against fake actors on a real, threaded actor system: answers arrive on CAF
// threads, so each test waits for its reply with a deadline.
#include "http/endpoints.hpp"

#include <condition_variable>
#include <mutex>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/bridge.hpp"
#include "http/router.hpp"

namespace ct::http {
namespace {

/// A reply that a test can wait for.
class waiting_reply : public reply {
public:
  void send(response r) override {
    std::lock_guard<std::mutex> guard{mutex_};
    if (sent_)
      return;
    sent_ = true;
    last_ = std::move(r);
    cv_.notify_all();
  }
  response wait() {
    std::unique_lock<std::mutex> lock{mutex_};
    EXPECT_TRUE(cv_.wait_for(lock, std::chrono::seconds{5}, [this] { return sent_; }))
        << "no reply within 5 s";
    return last_;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool sent_ = false;
  response last_;
};

caf::behavior fake_supervisor(caf::event_based_actor*, msg::actor_state scanner_state) {
  return {[=](msg::health_atom) {
    return msg::health_snapshot{{{"scanner", scanner_state}, {"timeline", msg::actor_state::up}}};
  }};
}

/// Takes status requests and never answers them.
caf::behavior silent_position_manager(caf::event_based_actor* self) {
  return {[=](msg::status_atom) { return self->make_response_promise(); }};
}

class EndpointsTest : public ::testing::Test {
protected:
  EndpointsTest() {
    ctx.bridges = {sys.spawn(bridge)};
    ctx.gate = std::make_shared<request_gate>();
  }
  ~EndpointsTest() override {
    for (auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(ctx.bridge(), caf::exit_reason::user_shutdown);
  }

  response call(route_fn fn, std::string path) {
    auto out = std::make_shared<waiting_reply>();
    request req;
    req.method = "GET";
    req.path = std::move(path);
    fn(ctx, req, out);
    return out->wait();
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  api_context ctx{sys, std::make_shared<msg::port_table>()};
  std::vector<caf::actor> spawned;
};

TEST_F(EndpointsTest, HealthIs503DegradedWhenAnActorIsNotUp) {
  spawned.push_back(sys.spawn(fake_supervisor, msg::actor_state::restarting));
  ctx.ports->set(&msg::http_ports::supervisor,
                 caf::actor_cast<msg::supervisor_actor>(spawned.back()));
  auto r = call(get_health, "/health");
  EXPECT_EQ(r.status, 503);
  auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["status"], "degraded");
  EXPECT_EQ(body["actors"]["scanner"], "restarting");
  EXPECT_TRUE(body.contains("uptime_s") && body.contains("version"));
}

TEST_F(EndpointsTest, HealthIs200WhenAllAreUp) {
  spawned.push_back(sys.spawn(fake_supervisor, msg::actor_state::up));
  ctx.ports->set(&msg::http_ports::supervisor,
                 caf::actor_cast<msg::supervisor_actor>(spawned.back()));
  EXPECT_EQ(call(get_health, "/health").status, 200);
}

TEST_F(EndpointsTest, HealthWithoutASupervisorSaysSo) {
  auto r = call(get_health, "/health");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(nlohmann::json::parse(r.body)["actors"]["supervisor"], "unresponsive");
}

TEST_F(EndpointsTest, AnActorThatDoesNotAnswerIs503AfterTheTimeout) {
  ctx.settings->request_timeout_ms = 100;
  spawned.push_back(sys.spawn(silent_position_manager));
  ctx.ports->set(&msg::http_ports::position_manager,
                 caf::actor_cast<msg::position_manager_actor>(spawned.back()));
  const auto t0 = std::chrono::steady_clock::now();
  auto r = call(get_status, "/api/status");
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(r.status, 503);
  auto err = nlohmann::json::parse(r.body)["error"];
  EXPECT_EQ(err["code"], "actor_unavailable");
  EXPECT_NE(err["message"].get<std::string>().find("position_manager"), std::string::npos);
  EXPECT_GE(waited, std::chrono::milliseconds{100});
}

TEST_F(EndpointsTest, AnActorThatIsDownIs503AtOnce) {
  auto r = call(get_status, "/api/status");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(nlohmann::json::parse(r.body)["error"]["code"], "actor_unavailable");
}

}  // namespace
}  // namespace ct::http
