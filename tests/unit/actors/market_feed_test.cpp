#include "actors/market_feed.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

#include <caf/event_based_actor.hpp>

#include "actor_fixture.hpp"
#include "reference_money.hpp"
#include "trading/rules.hpp"

namespace ct::actors {
namespace {

using std::chrono::milliseconds;

class MarketFeedTest : public test::actor_fixture {
protected:
  ~MarketFeedTest() override {
    self->send_exit(feed, caf::exit_reason::user_shutdown);
    run();
  }

  void start() {
    feed =
        sys.spawn(market_feed,
                  market_feed_deps{test::bundled_market(), clock, resume_ms, false, peers}, config);
    run();
  }

  trading::ticker_batch fetch(std::optional<std::int64_t> since = {}, std::uint64_t warmup = 0) {
    return ask<trading::ticker_batch>(feed, msg::fetch_market{since, warmup});
  }

  void apply(const msg::config& c) { ask<msg::ok_atom>(feed, msg::apply_config{c}); }

  msg::config config;
  std::optional<std::int64_t> resume_ms;
  msg::market_feed_peers peers;  // with a broadcaster, it streams its books to it
  msg::market_feed_actor feed;
};

TEST_F(MarketFeedTest, ReplaysEverySymbolOnAnAcceleratedClock) {
  start();
  auto b = fetch();
  ASSERT_EQ(b.tickers.size(), 6u);
  const auto m = test::bundled_market();
  EXPECT_EQ(b.market_ms, m->start_ms() + trading::day_ms);
  EXPECT_EQ(b.tickers[0].symbol, "ADA-BTC");
  for (const auto& t : b.tickers) {
    EXPECT_LT(t.q.bid, t.q.ask);
    EXPECT_TRUE(t.tradable);
    EXPECT_GT(t.q.volume_24h, 0);
  }
  clock->advance(milliseconds{1000});  // 60x: a minute of market time
  EXPECT_EQ(fetch().market_ms, m->start_ms() + trading::day_ms + 60'000);
}

TEST_F(MarketFeedTest, CandlesClosedSinceATimeComeWithTheTickers) {
  start();
  const auto m = test::bundled_market();
  const auto first = fetch();
  const std::int64_t step = m->step_ms();
  EXPECT_EQ(first.step_ms, step);
  EXPECT_EQ(first.candle_ms, first.market_ms);  // the replay starts on a candle's open
  for (const auto& t : first.tickers)
    EXPECT_TRUE(t.closed.empty());       // prices only
  clock->advance(milliseconds{12'500});  // 60x: 12.5 minutes, two and a half 5-minute candles
  const auto b = fetch(first.candle_ms);
  EXPECT_EQ(b.candle_ms, first.candle_ms + 2 * step);
  for (std::size_t i = 0; i < b.tickers.size(); ++i) {
    const auto& t = b.tickers[i];
    const auto& series = m->series(i).candles;
    ASSERT_EQ(t.closed.size(), 2u) << t.symbol;
    EXPECT_EQ(t.closed[0].open_time_ms, first.candle_ms);
    EXPECT_EQ(t.closed[1].open_time_ms, first.candle_ms + step);
    auto forming = std::find_if(series.begin(), series.end(), [&](const trading::candle& c) {
      return c.open_time_ms == b.candle_ms;
    });
    ASSERT_NE(forming, series.end());
    EXPECT_EQ(t.open, forming->open);
    EXPECT_EQ(t.closed[1].close, (forming - 1)->close);
  }
  // Without a since, a warm-up: the last candles before the forming one.
  const auto warm = fetch(std::nullopt, 3);
  for (const auto& t : warm.tickers) {
    ASSERT_EQ(t.closed.size(), 3u) << t.symbol;
    EXPECT_EQ(t.closed.front().open_time_ms, warm.candle_ms - 3 * step);
    EXPECT_EQ(t.closed.back().open_time_ms, warm.candle_ms - step);
  }
  // The assets' cached tickers carry prices, not candles.
  for (const auto& t : ask<trading::ticker_batch>(feed, msg::assets_atom::value).tickers)
    EXPECT_TRUE(t.closed.empty());
}

TEST_F(MarketFeedTest, OutageFailsCallsButAssetsServeTheLastTickers) {
  start();
  const auto before = fetch();
  config.exchange.outage = true;
  apply(config);
  auto e = ask_error<trading::ticker_batch>(feed, msg::fetch_market{});
  EXPECT_EQ(code_of(e), msg::errc::exchange_unavailable);
  auto cached = ask<trading::ticker_batch>(feed, msg::assets_atom::value);
  EXPECT_EQ(cached.market_ms, before.market_ms);
  config.exchange.outage = false;
  apply(config);
  EXPECT_EQ(fetch().tickers.size(), 6u);
}

TEST_F(MarketFeedTest, FailureRateFailsSomeCalls) {
  config.exchange.failure_rate = 0.5;
  start();
  int failures = 0;
  for (int i = 0; i < 100; ++i) {
    auto rh = self->request(feed, caf::infinite, msg::fetch_market{});
    run();
    rh.receive([](trading::ticker_batch&) {}, [&](caf::error&) { ++failures; });
  }
  EXPECT_GT(failures, 25);
  EXPECT_LT(failures, 75);
}

TEST_F(MarketFeedTest, NewSpeedContinuesTheReplayWhereItWas) {
  start();
  clock->advance(milliseconds{1000});
  const auto at = fetch().market_ms;
  config.exchange.speed = 600;
  apply(config);
  EXPECT_EQ(fetch().market_ms, at);
  clock->advance(milliseconds{1000});
  EXPECT_EQ(fetch().market_ms, at + 600'000);
}

TEST_F(MarketFeedTest, OnlyEnabledSymbolsAreTradable) {
  config.strategy.symbols = {"XLM-BTC"};
  start();
  for (const auto& t : fetch().tickers)
    EXPECT_EQ(t.tradable, t.symbol == "XLM-BTC") << t.symbol;
}

TEST_F(MarketFeedTest, OrdersFillAtTheTouchWithTheFee) {
  start();
  const auto b = fetch();
  auto f =
      ask<trading::fill>(feed, msg::submit_order{"ADA-BTC", trading::order_side::buy,
                                                 trading::quantity::from_units(100'000'000'000)});
  EXPECT_EQ(f.px, b.tickers[0].q.ask);
  EXPECT_EQ(f.fee.units(), test::fee_units(f.px.units(), f.qty.units(), 1000));  // 0.1 %
  auto e = ask_error<trading::fill>(feed, msg::submit_order{"BTC-USD", trading::order_side::buy,
                                                            trading::quantity::from_units(1)});
  EXPECT_EQ(code_of(e), msg::errc::unknown_symbol);
}

TEST_F(MarketFeedTest, AFeedResumesTheReplayAtTheMarketTimeItIsGiven) {
  start();
  clock->advance(milliseconds{5000});
  const auto at = fetch().market_ms;
  self->send_exit(feed, caf::exit_reason::kill);
  run();
  clock->advance(milliseconds{3000});  // down for a while: the market waits for it
  resume_ms = at - 60'000;             // what the store committed last
  start();
  EXPECT_EQ(fetch().market_ms, at - 60'000);
  clock->advance(milliseconds{1000});
  EXPECT_EQ(fetch().market_ms,
            at - 60'000 + static_cast<std::int64_t>(1000 * config.exchange.speed));
}

TEST_F(MarketFeedTest, BooksGoOutWholeFirstThenAsChangesAndWholeAgainOnAResync) {
  auto seen = std::make_shared<std::vector<bool>>();  // snapshot or not, ADA-BTC's only
  auto b = sys.spawn([seen](caf::event_based_actor*) -> caf::behavior {
    return {[seen](const msg::publish_book& p) {
              if (p.symbol == "ADA-BTC")
                seen->push_back(p.snapshot);
            },
            [](const msg::publish_candles&) {}};
  });
  peers.broadcaster = caf::actor_cast<msg::broadcaster_actor>(b);
  start();
  const milliseconds tick{config.stream.book_interval_ms};
  advance(tick);
  ASSERT_EQ(*seen, std::vector<bool>{true});
  for (int i = 0; i < 40 && seen->size() < 2; ++i)
    advance(tick);  // until the book moves
  ASSERT_EQ(*seen, (std::vector<bool>{true, false}));
  self->send(feed, msg::resync_books_atom::value);  // as a new broadcaster does
  advance(tick);
  EXPECT_EQ(seen->back(), true);
  self->send_exit(b, caf::exit_reason::user_shutdown);
}

TEST_F(MarketFeedTest, CandlesGoOutClosedWithTheStrategysValuesAndFormingAsTheyMove) {
  auto seen = std::make_shared<std::vector<msg::candle_update>>();  // ADA-BTC's only
  auto b = sys.spawn([seen](caf::event_based_actor*) -> caf::behavior {
    return {[](const msg::publish_book&) {},
            [seen](const msg::publish_candles& p) {
              EXPECT_EQ(p.timeframe, "5m");
              for (const auto& u : p.updates)
                if (u.symbol == "ADA-BTC")
                  seen->push_back(u);
            }};
  });
  peers.broadcaster = caf::actor_cast<msg::broadcaster_actor>(b);
  start();
  const milliseconds tick{config.stream.book_interval_ms};  // 250 ms: 15 s of market time
  for (int i = 0; i < 25; ++i)                              // 6.25 s: a 5-minute candle at 60x
    advance(tick);
  const auto m = test::bundled_market();
  const auto& series = m->series(0).candles;
  const auto find = [&](std::int64_t open) {
    return *std::find_if(series.begin(), series.end(),
                         [&](const trading::candle& c) { return c.open_time_ms == open; });
  };
  std::vector<msg::candle_update> closed;
  std::copy_if(seen->begin(), seen->end(), std::back_inserter(closed),
               [](const auto& u) { return u.closed; });
  ASSERT_EQ(closed.size(), 1u);
  const auto whole = find(closed[0].bar.open_time_ms);  // the replay's first lap: data time
  EXPECT_EQ(closed[0].bar.close, whole.close);
  EXPECT_EQ(closed[0].bar.high, whole.high);
  EXPECT_EQ(closed[0].bar.volume, whole.volume);
  ASSERT_EQ(closed[0].lines.size(), 1u);  // momentum's percent change, at that candle
  EXPECT_EQ(closed[0].lines[0].name, "momentum_pct");
  ASSERT_EQ(closed[0].lines[0].values.size(), 1u);
  EXPECT_TRUE(std::isfinite(closed[0].lines[0].values[0]));
  // Forming updates: one a tick (250 ms), each inside its candle's range so far.
  EXPECT_EQ(seen->size() - closed.size(), 25u);
  for (const auto& u : *seen) {
    if (u.closed)
      continue;
    const auto c = find(u.bar.open_time_ms);
    EXPECT_EQ(u.bar.open, c.open);
    EXPECT_LE(u.bar.high, c.high);
    EXPECT_GE(u.bar.low, c.low);
    EXPECT_LE(u.bar.low, u.bar.close);
    EXPECT_LE(u.bar.close, u.bar.high);
  }
  EXPECT_EQ(seen->back().bar.open_time_ms, closed[0].bar.open_time_ms + m->step_ms());
  self->send_exit(b, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace ct::actors
