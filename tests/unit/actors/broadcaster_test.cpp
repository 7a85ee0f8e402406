#include "actors/broadcaster.hpp"

#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "actor_fixture.hpp"

namespace ct::actors {
namespace {

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

caf::behavior fake_pm(caf::event_based_actor*) {
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

TEST_F(BroadcasterTest, HelloComesFirstThenTheDefaultChannels) {
  start();
  publish_status();
  auto sink = join(1);
  ASSERT_EQ(sink->types(), std::vector<std::string>{"hello"});
  const auto& hello = sink->received[0];
  EXPECT_EQ(hello["data"]["status"]["mode"], "paper");
  // The hello's status is the whole /api/status object, the HTTP layer's figures included.
  EXPECT_EQ(hello["data"]["status"]["requests_in_flight"], 3);
  EXPECT_EQ(hello["data"]["status"]["ws_clients"], 2);
  EXPECT_EQ(hello["data"]["status"]["ws_slow_closed"], 1);
  EXPECT_TRUE(hello["data"]["positions"].is_array());
  EXPECT_TRUE(hello["at"].is_string());
  self->send(b, msg::timeline_event{7, clock->now(), "scan_completed", "scanner", "{\"a\":1}"});
  self->send(b, msg::publish_tickers{});
  publish_status();
  EXPECT_EQ(sink->types(), (std::vector<std::string>{"hello", "timeline", "status", "positions"}));
  EXPECT_EQ(sink->received[1]["data"]["seq"], 7);
  EXPECT_EQ(sink->received[1]["data"]["data"]["a"], 1);
}

TEST_F(BroadcasterTest, BeforeAnyPublicationTheHelloAsksThePositionManager) {
  peers.position_manager = caf::actor_cast<msg::position_manager_actor>(sys.spawn(fake_pm));
  start();
  auto sink = join(1);
  ASSERT_EQ(sink->types(), std::vector<std::string>{"hello"});
  EXPECT_EQ(sink->received[0]["data"]["status"]["trading"], true);
}

TEST_F(BroadcasterTest, SubscribeAndUnsubscribeAnswerWithEveryChannel) {
  start();
  publish_status();
  auto sink = join(1);
  self->send(b, msg::ws_subscribe{1, {"ticker"}});
  self->send(b, msg::ws_unsubscribe{1, {"status", "orderbook:ADA-BTC"}});  // not subscribed: fine
  run();
  ASSERT_EQ(sink->types(), (std::vector<std::string>{"hello", "subscribed", "unsubscribed"}));
  EXPECT_EQ(sink->received[1]["data"]["channels"],
            json({"positions", "status", "ticker", "timeline"}));
  EXPECT_EQ(sink->received[2]["data"]["channels"], json({"positions", "ticker", "timeline"}));
  self->send(b, msg::publish_tickers{});
  publish_status();
  EXPECT_EQ(sink->types().back(), "positions");
  EXPECT_EQ(sink->types()[3], "ticker");
}

TEST_F(BroadcasterTest, OperationsBeforeTheHelloWaitForIt) {
  peers.position_manager = caf::actor_cast<msg::position_manager_actor>(sys.spawn(fake_pm));
  start();
  auto sink = std::make_shared<fake_sink>();
  self->send(b, msg::ws_join{1, sink});
  self->send(b, msg::ws_subscribe{1, {"ticker"}});
  self->send(b, msg::ws_unsubscribe{1, {"ticker"}});
  self->send(b, msg::ws_subscribe{1, {"ticker"}});
  run();
  ASSERT_EQ(sink->types(),
            (std::vector<std::string>{"hello", "subscribed", "unsubscribed", "subscribed"}));
  EXPECT_EQ(sink->received[3]["data"]["channels"],
            json({"positions", "status", "ticker", "timeline"}));
}

TEST_F(BroadcasterTest, OrderBookSnapshotThenGapFreeUpdates) {
  start();
  publish_status();
  book("ADA-BTC", levels({{100, 5}, {99, 7}}, {{101, 3}}), true);
  book("ADA-BTC", levels({{100, 6}}, {}), false);
  auto sink = join(1);
  self->send(b, msg::ws_subscribe{1, {"orderbook:ADA-BTC"}});
  run();
  ASSERT_EQ(sink->types(), (std::vector<std::string>{"hello", "subscribed", "orderbook:ADA-BTC"}));
  const auto snap = sink->received[2]["data"];
  EXPECT_TRUE(snap["snapshot"].get<bool>());
  EXPECT_EQ(snap["update_id"], 2);
  EXPECT_EQ(snap["bids"][0][1].get<double>(), 6e-8);      // the replica has the update
  book("ADA-BTC", levels({{99, 0}}, {{102, 4}}), false);  // a level leaves, one arrives
  book("ADA-BTC", levels({}, {{101, 1}}), false);
  ASSERT_EQ(sink->received.size(), 5u);
  EXPECT_EQ(sink->received[3]["data"]["prev_update_id"], 2);
  EXPECT_EQ(sink->received[3]["data"]["update_id"], 3);
  EXPECT_EQ(sink->received[3]["data"]["bids"][0][1].get<double>(), 0.0);
  EXPECT_EQ(sink->received[4]["data"]["prev_update_id"], 3);
  auto late = join(2);  // a late subscriber's snapshot is the replica with every update applied
  self->send(b, msg::ws_subscribe{2, {"orderbook:ADA-BTC"}});
  run();
  ASSERT_EQ(late->types().back(), "orderbook:ADA-BTC");
  EXPECT_EQ(late->received.back()["data"]["update_id"], 4);
  EXPECT_EQ(late->received.back()["data"]["bids"].size(), 1u);
  EXPECT_EQ(late->received.back()["data"]["asks"].size(), 2u);
}

TEST_F(BroadcasterTest, ASlowClientIsDroppedAndTheOthersKeepReceiving) {
  start();
  publish_status();
  auto slow = join(1);
  auto fast = join(2);
  slow->refuse = true;
  for (std::uint64_t seq = 1; seq <= 3; ++seq)
    self->send(b, msg::timeline_event{seq, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(fast->types(), (std::vector<std::string>{"hello", "timeline", "timeline", "timeline"}));
  slow->refuse = false;  // forgotten: it gets nothing more
  self->send(b, msg::timeline_event{4, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(slow->received.size(), 1u);
  EXPECT_EQ(fast->received.size(), 5u);
}

TEST_F(BroadcasterTest, BusyClientsArePingedToo) {
  start();
  publish_status();
  auto sink = join(1);
  for (int i = 0; i < 12; ++i) {  // an event every half second: never idle
    self->send(
        b, msg::timeline_event{static_cast<std::uint64_t>(i + 1), clock->now(), "x", "t", "{}"});
    advance(milliseconds{500});
  }
  EXPECT_EQ(sink->pings, 1);  // its pong is what keeps Pistache from reaping the connection
  EXPECT_EQ(sink->received.size(), 13u);
}

TEST_F(BroadcasterTest, EventsThatArriveTogetherGoOutAsOneWriteInOrder) {
  start();
  publish_status();
  auto sink = join(1);
  const int before = sink->writes;
  for (std::uint64_t seq = 1; seq <= 5; ++seq)
    self->send(b, msg::timeline_event{seq, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(sink->writes, before + 1);
  ASSERT_EQ(sink->received.size(), 6u);
  for (std::uint64_t seq = 1; seq <= 5; ++seq)
    EXPECT_EQ(sink->received[seq]["data"]["seq"], seq);
}

TEST_F(BroadcasterTest, AReplyNeverOvertakesAnEventPublishedBeforeIt) {
  start();
  publish_status();
  auto sink = join(1);
  self->send(b, msg::timeline_event{1, clock->now(), "x", "test", "{}"});
  self->send(b, msg::ws_subscribe{1, {"ticker"}});
  self->send(b, msg::timeline_event{2, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(sink->types(),
            (std::vector<std::string>{"hello", "timeline", "subscribed", "timeline"}));
  EXPECT_EQ(sink->received[3]["data"]["seq"], 2);
}

TEST_F(BroadcasterTest, AClientThatRefusesIsDroppedOnceWhateverHitsIt) {
  start();
  publish_status();
  auto slow = join(1);
  slow->refuse = true;
  self->send(b, msg::timeline_event{1, clock->now(), "x", "test", "{}"});
  self->send(b, msg::ws_subscribe{1, {"ticker"}});  // its reply fails first, then the batch
  self->send(b, msg::timeline_event{2, clock->now(), "x", "test", "{}"});
  run();
  slow->refuse = false;  // forgotten: it gets nothing more
  self->send(b, msg::timeline_event{3, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(slow->received.size(), 1u);
}

TEST_F(BroadcasterTest, IdleClientsArePingedAndShutdownClosesEveryone) {
  start();
  publish_status();
  auto a = join(1);
  auto c = join(2);
  advance(milliseconds{6000});
  EXPECT_GE(a->pings, 1);
  EXPECT_EQ(ask<msg::ok_atom>(b, msg::ws_close_all{1001, "server shutting down"}),
            msg::ok_atom::value);
  EXPECT_EQ(a->closed_with, 1001);
  EXPECT_EQ(c->closed_with, 1001);
  self->send(b, msg::timeline_event{1, clock->now(), "x", "test", "{}"});
  self->send_exit(b, caf::exit_reason::user_shutdown);
  run();
  EXPECT_EQ(a->received.size(), 1u);  // only its hello: it was forgotten
  EXPECT_EQ(a->closes, 1);
}

TEST_F(BroadcasterTest, ACrashTellsEveryClientToReconnectAndTheNewOneStartsAfresh) {
  start();
  publish_status();
  auto old_client = join(1);
  self->send(b, msg::ws_subscribe{1, {"ticker"}});
  run();
  self->send_exit(b, caf::exit_reason::kill);  // as a handler that threw would
  run();
  EXPECT_EQ(old_client->closed_with, 1013);  // try again later: nothing it missed goes unsaid
  start();
  publish_status();
  auto fresh = join(2);
  self->send(b, msg::publish_tickers{});
  self->send(b, msg::timeline_event{1, clock->now(), "x", "test", "{}"});
  run();
  EXPECT_EQ(fresh->types(), (std::vector<std::string>{"hello", "timeline"}));
  EXPECT_EQ(old_client->types(), (std::vector<std::string>{"hello", "subscribed"}));
}

TEST_F(BroadcasterTest, AnOrderlyStopTellsNoClientToReconnect) {
  start();
  publish_status();
  auto sink = join(1);
  self->send_exit(b, caf::exit_reason::user_shutdown);
  run();
  EXPECT_EQ(sink->closes, 0);  // the server closes it with 1001 itself
}

TEST_F(BroadcasterTest, ANewBroadcasterAsksTheFeedForSnapshotsAndIgnoresChangesBeforeThem) {
  auto resyncs = std::make_shared<int>(0);
  auto feed = sys.spawn([resyncs](caf::event_based_actor*) -> caf::behavior {
    return {[resyncs](msg::resync_books_atom) { ++*resyncs; }};
  });
  peers.market_feed = caf::actor_cast<msg::market_feed_actor>(feed);
  start();
  EXPECT_EQ(*resyncs, 1);
  publish_status();
  auto sink = join(1);
  self->send(b, msg::ws_subscribe{1, {"orderbook:ADA-BTC"}});
  run();
  book("ADA-BTC", levels({{100, 6}}, {}), false);  // changes to a book it never saw
  EXPECT_EQ(sink->types(), (std::vector<std::string>{"hello", "subscribed"}));
  book("ADA-BTC", levels({{100, 5}, {99, 7}}, {{101, 3}}), true);
  ASSERT_EQ(sink->types().back(), "orderbook:ADA-BTC");
  EXPECT_TRUE(sink->received.back()["data"]["snapshot"].get<bool>());
  EXPECT_EQ(sink->received.back()["data"]["bids"].size(), 2u);
  self->send_exit(feed, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace ct::actors
