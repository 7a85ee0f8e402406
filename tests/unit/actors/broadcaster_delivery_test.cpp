// The broadcaster: delivery in order, clients that refuse, shutdown, a crash and a restart.
#include "broadcaster_fixture.hpp"

namespace ct::actors::bc_test {
namespace {

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
}  // namespace ct::actors::bc_test
