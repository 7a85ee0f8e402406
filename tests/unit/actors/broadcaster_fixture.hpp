// The broadcaster's test fixture: clients that keep what they are sent (or refuse it), a
// position manager behind its typed interface, and the broadcaster spawned with them.
#pragma once

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"
#include "actors/broadcaster.hpp"

namespace ct::actors::bc_test {

using nlohmann::json;
using std::chrono::milliseconds;

/// A client that keeps what it is sent; `refuse` makes it act too slow.
class fake_sink : public msg::ws_sink {
public:
  bool send(const std::vector<std::shared_ptr<const std::string>>& texts) override {
    if (refuse)
      return false;
    for (const auto& text : texts)
      received.push_back(json::parse(*text));
    ++writes;
    return true;
  }
  void close(std::uint16_t code, const std::string&) override {
    closed_with = code;
    ++closes;
  }
  void ping() override { ++pings; }

  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const auto& m : received)
      out.push_back(m["type"]);
    return out;
  }

  std::vector<json> received;
  bool refuse = false;
  int writes = 0;
  int pings = 0;
  int closes = 0;
  std::optional<std::uint16_t> closed_with;
};

/// The HTTP layer's figures, as set by a test.
class fixed_figures : public msg::http_figures {
public:
  int requests_in_flight() const override { return 3; }
  std::uint64_t ws_clients() const override { return 2; }
  std::uint64_t ws_slow_closed() const override { return 1; }
};

inline caf::behavior fake_pm(caf::event_based_actor*) {
  return {
      [](msg::status_atom) {
        msg::status_snapshot s;
        s.mode = msg::trading_mode::paper;
        s.trading = true;
        return s;
      },
      [](const msg::get_positions&) { return msg::positions_snapshot{}; },
  };
}

class BroadcasterTest : public test::actor_fixture {
protected:
  BroadcasterTest() { config.stream.ping_interval_ms = 5000; }

  ~BroadcasterTest() override {
    self->send_exit(b, caf::exit_reason::user_shutdown);
    if (peers.position_manager)
      self->send_exit(peers.position_manager, caf::exit_reason::user_shutdown);
    run();
  }

  void start() {
    b = sys.spawn(
        broadcaster,
        broadcaster_deps{clock, clock->now(), "test", std::make_shared<fixed_figures>(), peers},
        config);
    run();
  }

  std::shared_ptr<fake_sink> join(std::uint64_t id) {
    auto sink = std::make_shared<fake_sink>();
    self->send(b, msg::ws_join{id, sink});
    run();
    return sink;
  }

  void publish_status() {
    msg::publish_status p;
    p.status.mode = msg::trading_mode::paper;
    p.at = clock->now();
    self->send(b, p);
    run();
  }

  void book(std::string symbol, trading::order_book changes, bool snapshot) {
    self->send(
        b, msg::publish_book{std::move(symbol), std::move(changes), snapshot, clock->now(), 1000});
    run();
  }

  static trading::order_book levels(std::vector<std::pair<std::int64_t, std::int64_t>> bids,
                                    std::vector<std::pair<std::int64_t, std::int64_t>> asks) {
    trading::order_book ob;
    for (auto [p, q] : bids)
      ob.bids.push_back({trading::price::from_units(p), trading::quantity::from_units(q)});
    for (auto [p, q] : asks)
      ob.asks.push_back({trading::price::from_units(p), trading::quantity::from_units(q)});
    return ob;
  }

  msg::config config;
  msg::broadcaster_peers peers;  // as a test sets them
  msg::broadcaster_actor b;
};

}  // namespace ct::actors::bc_test
