// Binance's market streams as data (with the examples of Binance's WebSocket Streams
// documentation), the exchangeInfo filters, and the local order book's sync: buffered diffs,
// the snapshot, continuity and the resync after a gap.
#include "exchange/binance_stream.hpp"

#include <gtest/gtest.h>

#include "exchange/binance.hpp"
#include "exchange/binance_book.hpp"
#include "exchange/ws_client.hpp"

namespace ct::exchange {
namespace {

using trading::price;
using trading::quantity;

std::string combined(const std::string& stream, const std::string& data) {
  return R"({"stream":")" + stream + R"(","data":)" + data + "}";
}

TEST(BinanceStream, DocumentedKlineEvent) {
  const auto text = combined("bnbbtc@kline_1m", R"({
    "e": "kline", "E": 1672515782136, "s": "BNBBTC",
    "k": {"t": 1672515780000, "T": 1672515839999, "s": "BNBBTC", "i": "1m", "f": 100, "L": 200,
          "o": "0.0010", "c": "0.0020", "h": "0.0025", "l": "0.0015", "v": "1000", "n": 100,
          "x": false, "q": "1.0000", "V": "500", "Q": "0.500", "B": "123456"}})");
  auto e = parse_stream_message(text);
  ASSERT_TRUE(e.ok()) << e.err().message;
  const auto& k = std::get<kline_event>(e.value());
  EXPECT_EQ(k.symbol, "BNBBTC");
  EXPECT_EQ(k.step_ms, 60'000);
  EXPECT_FALSE(k.closed);
  EXPECT_EQ(k.bar.open_time_ms, 1672515780000);
  EXPECT_EQ(k.bar.close, *price::parse("0.0020"));
  EXPECT_EQ(k.bar.high, *price::parse("0.0025"));
  EXPECT_EQ(k.bar.low, *price::parse("0.0010"));  // widened to hold the open
  EXPECT_EQ(k.bar.volume, *quantity::parse("1000"));
}

TEST(BinanceStream, DocumentedTickerEvent) {
  const auto text = combined("bnbbtc@ticker", R"({
    "e": "24hrTicker", "E": 1672515782136, "s": "BNBBTC", "p": "0.0015", "P": "250.00",
    "w": "0.0018", "x": "0.0009", "c": "0.0025", "Q": "10", "b": "0.0024", "B": "10",
    "a": "0.0026", "A": "100", "o": "0.0010", "h": "0.0025", "l": "0.0010", "v": "10000",
    "q": "18", "O": 0, "C": 86400000, "F": 0, "L": 18150, "n": 18151})");
  auto e = parse_stream_message(text);
  ASSERT_TRUE(e.ok()) << e.err().message;
  const auto& t = std::get<ticker_event>(e.value());
  EXPECT_EQ(t.last, *price::parse("0.0025"));
  EXPECT_EQ(t.bid, *price::parse("0.0024"));
  EXPECT_EQ(t.ask, *price::parse("0.0026"));
  EXPECT_DOUBLE_EQ(t.change_pct, 250);
  EXPECT_DOUBLE_EQ(t.volume, 10000);
  auto down = parse_stream_message(combined("x@ticker", R"({"e":"24hrTicker","s":"X","c":"1",
      "b":"0.9","a":"1.1","P":"-3.25","v":"5"})"));
  ASSERT_TRUE(down.ok()) << down.err().message;
  EXPECT_DOUBLE_EQ(std::get<ticker_event>(down.value()).change_pct, -3.25);
}

TEST(BinanceStream, DocumentedDepthEventAndSnapshot) {
  auto e = parse_stream_message(combined("bnbbtc@depth@100ms", R"({
    "e": "depthUpdate", "E": 1672515782136, "s": "BNBBTC", "U": 157, "u": 160,
    "b": [["0.0024", "10"]], "a": [["0.0026", "100"]]})"));
  ASSERT_TRUE(e.ok()) << e.err().message;
  const auto& d = std::get<depth_event>(e.value());
  EXPECT_EQ(d.first_id, 157);
  EXPECT_EQ(d.last_id, 160);
  ASSERT_EQ(d.changes.bids.size(), 1u);
  EXPECT_EQ(d.changes.asks[0].qty, *quantity::parse("100"));
  auto s = parse_depth_snapshot(R"({"lastUpdateId": 1027024,
    "bids": [["4.00000000", "431.00000000"]], "asks": [["4.00000200", "12.00000000"]]})");
  ASSERT_TRUE(s.ok()) << s.err().message;
  EXPECT_EQ(s.value().last_update_id, 1027024);
  EXPECT_EQ(s.value().book.asks[0].px, *price::parse("4.000002"));
}

TEST(BinanceStream, MalformedMessagesAreErrorsNeverThrows) {
  for (const char* text : {
           "",
           "not json",
           "[]",
           R"({"stream":"x"})",
           R"({"data":{"e":"trade"}})",
           R"({"data":{"e":"kline","s":"X","k":{"t":0,"i":"7m","o":"1","h":"1","l":"1","c":"1",
              "v":"1","x":true}}})",
           R"({"data":{"e":"kline","s":"X","k":{"t":1,"i":"1m","o":"1","h":"1","l":"1","c":"1",
              "v":"1","x":true}}})",
           R"({"data":{"e":"kline","s":"X","k":{"t":0,"i":"1m","o":"1","h":"1","l":"2","c":"1",
              "v":"1","x":true}}})",
           R"({"data":{"e":"kline","s":"X","k":{"t":0,"i":"1m","o":"-1","h":"1","l":"1","c":"1",
              "v":"1","x":true}}})",
           R"({"data":{"e":"kline","s":"X","k":{"t":0,"i":"1m","o":"1","h":"1","l":"1","c":"1",
              "v":"1","x":"yes"}}})",
           R"({"data":{"e":"24hrTicker","s":"X","c":"1e5","b":"1","a":"1","P":"1","v":"1"}})",
           R"({"data":{"e":"depthUpdate","s":"X","U":5,"u":4,"b":[],"a":[]}})",
           R"({"data":{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[["1"]],"a":[]}})",
           R"({"data":{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[["0","1"]],"a":[]}})",
           R"({"data":{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[[["1","1"]]],"a":[]}})",
           R"({"data":{"e":"depthUpdate","s":"X","U":1,"u":2,"b":[["99999999999","1"]],"a":[]}})",
       }) {
    auto e = parse_stream_message(text);
    EXPECT_FALSE(e.ok()) << text;
  }
  std::string deep = R"({"data":)";
  for (int i = 0; i < 10'000; ++i)
    deep += "[";
  EXPECT_FALSE(parse_stream_message(deep).ok());
}

TEST(BinanceStream, CombinedPathAsksEverySymbolsThreeStreams) {
  EXPECT_EQ(stream_path({"BTCUSDT", "ETHUSDT"}, "5m"),
            "/stream?streams=btcusdt@kline_5m/btcusdt@ticker/btcusdt@depth@100ms/"
            "ethusdt@kline_5m/ethusdt@ticker/ethusdt@depth@100ms");
}

TEST(BinanceStream, PlainWsOnlyOnLoopback) {
  EXPECT_TRUE(check_ws_url("wss://stream.binance.com:9443").ok());
  EXPECT_TRUE(check_ws_url("ws://127.0.0.1:9000").ok());
  EXPECT_FALSE(check_ws_url("ws://stream.binance.com:9443").ok());
  EXPECT_FALSE(check_ws_url("https://stream.binance.com").ok());
}

TEST(BinanceInfo, FiltersOfEachSymbol) {
  auto info = parse_exchange_info(R"({"rateLimits":[],"symbols":[{"symbol":"BTCUSDT",
    "status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","filters":[
    {"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000",
     "tickSize":"0.01000000"},
    {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000",
     "stepSize":"0.00001000"},
    {"filterType":"MARKET_LOT_SIZE","minQty":"0.00000000","maxQty":"108.51383527",
     "stepSize":"0.00000000"},
    {"filterType":"NOTIONAL","minNotional":"5.00000000","applyMinToMarket":true,
     "maxNotional":"9000000.00000000","applyMaxToMarket":false,"avgPriceMins":5}]},
    {"symbol":"OLDBTC","status":"BREAK","baseAsset":"OLD","quoteAsset":"BTC","filters":[
    {"filterType":"MIN_NOTIONAL","minNotional":"0.00010000","applyToMarket":false,
     "avgPriceMins":5}]}]})");
  ASSERT_TRUE(info.ok()) << info.err().message;
  const auto& r = info.value().rules.at("BTCUSDT");
  EXPECT_EQ(r.step, *quantity::parse("0.00001"));
  EXPECT_EQ(r.min_qty, *quantity::parse("0.00001"));
  EXPECT_EQ(r.max_qty, *quantity::parse("9000"));
  EXPECT_EQ(r.market_max, *quantity::parse("108.51383527"));
  EXPECT_EQ(r.min_notional, *trading::money::parse("5"));
  EXPECT_EQ(info.value().status.at("OLDBTC"), "BREAK");
  EXPECT_TRUE(info.value().rules.at("OLDBTC").min_notional.is_zero());  // not for market orders
}

depth_event diff(std::int64_t first, std::int64_t last, const char* bid_px, const char* bid_qty) {
  depth_event e;
  e.symbol = "BTCUSDT";
  e.first_id = first;
  e.last_id = last;
  e.changes.bids.push_back({*price::parse(bid_px), *quantity::parse(bid_qty)});
  return e;
}

depth_snapshot snapshot(std::int64_t id) {
  depth_snapshot s;
  s.last_update_id = id;
  s.book.bids = {{*price::parse("100"), *quantity::parse("1")},
                 {*price::parse("99"), *quantity::parse("2")}};
  s.book.asks = {{*price::parse("101"), *quantity::parse("3")}};
  return s;
}

TEST(BookSync, BuffersThenAppliesWhatFollowsTheSnapshot) {
  book_sync b;
  EXPECT_EQ(b.on_diff(diff(95, 100, "100", "5")), book_sync::outcome::buffered);  // in it
  EXPECT_EQ(b.on_diff(diff(101, 104, "99", "0")), book_sync::outcome::buffered);  // spans 103
  EXPECT_EQ(b.on_diff(diff(105, 105, "98", "4")), book_sync::outcome::buffered);
  EXPECT_EQ(b.on_snapshot(snapshot(102)), book_sync::outcome::applied);
  ASSERT_TRUE(b.synced());
  EXPECT_EQ(b.last_id(), 105);
  const auto& bids = b.book().bids;
  ASSERT_EQ(bids.size(), 2u);  // 99 removed, 98 added; 100 kept at the snapshot's size
  EXPECT_EQ(bids[0].qty, *quantity::parse("1"));
  EXPECT_EQ(bids[1].px, *price::parse("98"));
  EXPECT_EQ(b.on_diff(diff(104, 105, "100", "9")), book_sync::outcome::ignored);
  EXPECT_EQ(b.on_diff(diff(106, 107, "100", "7")), book_sync::outcome::applied);
  EXPECT_EQ(b.book().bids[0].qty, *quantity::parse("7"));
}

TEST(BookSync, AGapInUpdateIdsClearsTheBookForAResync) {
  book_sync b;
  b.on_diff(diff(101, 101, "100", "5"));
  ASSERT_EQ(b.on_snapshot(snapshot(100)), book_sync::outcome::applied);
  EXPECT_EQ(b.on_diff(diff(103, 104, "100", "6")), book_sync::outcome::gap);  // 102 missed
  EXPECT_FALSE(b.synced());
  EXPECT_TRUE(b.book().bids.empty());
  EXPECT_EQ(b.on_diff(diff(105, 106, "100", "6")), book_sync::outcome::buffered);
  EXPECT_EQ(b.on_snapshot(snapshot(105)), book_sync::outcome::applied);
  EXPECT_EQ(b.last_id(), 106);
}

TEST(BookSync, ASnapshotOlderThanTheBufferIsRefused) {
  book_sync b;
  b.on_diff(diff(200, 210, "100", "5"));
  EXPECT_EQ(b.on_snapshot(snapshot(150)), book_sync::outcome::gap);
  EXPECT_FALSE(b.synced());
}

TEST(BookSync, TheBufferIsBounded) {
  book_sync b{3};
  for (int i = 0; i < 10; ++i)
    b.on_diff(diff(100 + i, 100 + i, "100", "1"));
  EXPECT_EQ(b.on_snapshot(snapshot(104)), book_sync::outcome::gap);  // 105, 106 were dropped
  b.on_diff(diff(110, 110, "100", "1"));
  EXPECT_EQ(b.on_snapshot(snapshot(109)), book_sync::outcome::applied);
}

}  // namespace
}  // namespace ct::exchange
