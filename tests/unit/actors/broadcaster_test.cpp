// The broadcaster: the hello, channels and operations, order books, slow and busy clients.
#include "broadcaster_fixture.hpp"

namespace ct::actors::bc_test {
namespace {

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

TEST_F(BroadcasterTest, CandlesGoToTheirSymbolsSubscribersOnly) {
  start();
  publish_status();
  auto ada = join(1);
  auto none = join(2);
  self->send(b, msg::ws_subscribe{1, {"candles:ADA-BTC"}});
  run();
  const auto bar = [](std::int64_t open, std::int64_t close) {
    return trading::candle{1'515'646'500'000,
                           trading::price::from_units(open),
                           trading::price::from_units(std::max(open, close)),
                           trading::price::from_units(std::min(open, close)),
                           trading::price::from_units(close),
                           trading::quantity::from_units(5)};
  };
  msg::publish_candles p{{}, "5m", 1'515'646'560'000, {}};
  p.updates.push_back({"ADA-BTC", bar(100, 110), true, {{"sma_fast", true, {1.5e-6}}}});
  p.updates.push_back({"ADA-BTC", bar(110, 105), false, {}});
  p.updates.push_back({"XLM-BTC", bar(10, 11), false, {}});
  self->send(b, p);
  run();
  ASSERT_EQ(ada->types(), (std::vector<std::string>{"hello", "subscribed", "candles:ADA-BTC",
                                                    "candles:ADA-BTC"}));
  const auto closed = ada->received[2]["data"];
  EXPECT_EQ(closed["symbol"], "ADA-BTC");
  EXPECT_EQ(closed["timeframe"], "5m");
  EXPECT_TRUE(closed["closed"].get<bool>());
  EXPECT_EQ(closed["candle"]["time"], "2018-01-11T04:55:00.000Z");
  EXPECT_EQ(closed["candle"]["close"].get<double>(), 110e-8);
  EXPECT_EQ(closed["indicators"]["sma_fast"].get<double>(), 1.5e-6);
  const auto forming = ada->received[3]["data"];
  EXPECT_FALSE(forming["closed"].get<bool>());
  EXPECT_TRUE(forming["indicators"].is_null());
  EXPECT_EQ(none->types(), (std::vector<std::string>{"hello"}));
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

}  // namespace
}  // namespace ct::actors::bc_test
