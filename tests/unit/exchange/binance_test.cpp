#include "exchange/binance.hpp"

#include <gtest/gtest.h>

#include "exchange/rest_client.hpp"

namespace ct::exchange {
namespace {

// Shaped as Binance documents GET /api/v3/exchangeInfo (trimmed to what is read).
const char* info_text = R"({"timezone":"UTC","serverTime":1565246363776,
  "rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000},
                {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":100}],
  "exchangeFilters":[],
  "symbols":[{"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","baseAssetPrecision":8,
              "quoteAsset":"BTC","quotePrecision":8},
             {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT"}]})";

TEST(BinanceTest, SymbolsMapThroughBaseAndQuoteAssets) {
  auto info = parse_exchange_info(info_text);
  ASSERT_TRUE(info.ok()) << info.err().message;
  EXPECT_EQ(info.value().weight_per_minute, 6000);
  auto names = map_symbols(info.value(), {"BTC-USDT", "ETH-BTC"});
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names.value(), (std::vector<std::string>{"BTCUSDT", "ETHBTC"}));
  auto missing = map_symbols(info.value(), {"BTC-USDT", "DOGE-EUR"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.err().message, "Binance lists no DOGE-EUR");
}

TEST(BinanceTest, KlinesKeepBinancesDecimalsAndRefuseMalformedOnes) {
  // Binance's documented example of GET /api/v3/klines.
  auto ks = parse_klines(R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100",
    "148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]])");
  ASSERT_TRUE(ks.ok()) << ks.err().message;
  ASSERT_EQ(ks.value().size(), 1u);
  EXPECT_EQ(ks.value()[0].open_ms, 1499040000000);
  EXPECT_EQ(ks.value()[0].open, "0.01634790");
  EXPECT_EQ(ks.value()[0].volume, "148976.11427815");
  for (const char* bad :
       {R"({"a":1})", R"([[1,"1","2","0.5","1"]])", R"([[1,"1e5","2","1","1","1"]])",
        R"([[1,"-1","2","1","1","1"]])", R"([[2,"1","1","1","1","1"],[1,"1","1","1","1","1"]])",
        "[[[[[[[[[[[[1]]]]]]]]]]]]", "not json", R"([["1","1","1","1","1","1"]])"}) {
    EXPECT_FALSE(parse_klines(bad).ok()) << bad;
  }
}

TEST(BinanceTest, TimeframesAreBinancesIntervals) {
  EXPECT_EQ(binance_timeframe_ms("5m").value(), 300'000);
  EXPECT_EQ(binance_timeframe_ms("1d").value(), 86'400'000);
  EXPECT_FALSE(binance_timeframe_ms("2m").ok());
  EXPECT_FALSE(binance_timeframe_ms("").ok());
}

TEST(BinanceTest, ErrorsSayBinancesCodeAndMessage) {
  EXPECT_EQ(describe_error(400, R"({"code":-1121,"msg":"Invalid symbol."})"),
            "Binance -1121: Invalid symbol.");
  EXPECT_EQ(describe_error(502, "<html>bad gateway</html>"), "Binance answered HTTP 502");
  EXPECT_EQ(parse_server_time(R"({"serverTime":1499827319559})").value(), 1499827319559);
  EXPECT_FALSE(parse_server_time(R"({"serverTime":"soon"})").ok());
}

TEST(RestClientTest, PlainHttpOnlyOnLoopback) {
  EXPECT_TRUE(check_base_url("https://api.binance.com").ok());
  EXPECT_TRUE(check_base_url("http://127.0.0.1:8080").ok());
  EXPECT_TRUE(check_base_url("http://localhost:8080/x").ok());
  EXPECT_TRUE(check_base_url("http://[::1]:8080").ok());
  EXPECT_FALSE(check_base_url("http://api.binance.com").ok());
  EXPECT_FALSE(check_base_url("http://127.0.0.1.evil.example").ok());
  EXPECT_FALSE(check_base_url("ftp://127.0.0.1").ok());
  EXPECT_FALSE(check_base_url("api.binance.com").ok());
}

}  // namespace
}  // namespace ct::exchange
