// Binance's orders as data: the MARKET order's query as Binance documents it, the FULL
// answer of Binance's documentation booked with its commissions, and error codes.
#include "exchange/binance_orders.hpp"

#include <gtest/gtest.h>

namespace ct::exchange {
namespace {

using trading::money;
using trading::price;
using trading::quantity;

TEST(BinanceOrders, MarketOrderQueryInBinancesOrder) {
  EXPECT_EQ(market_order_query("BTCUSDT", trading::order_side::buy, *quantity::parse("0.00155"),
                               "ct1a2b3c4d-17", 1499827319559, 5000),
            "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00155&newClientOrderId=ct1a2b3c4d-17"
            "&newOrderRespType=FULL&recvWindow=5000&timestamp=1499827319559");
  EXPECT_EQ(order_lookup_query("BTCUSDT", "ct1a2b3c4d-17", 1499827319559, 5000),
            "symbol=BTCUSDT&recvWindow=5000&timestamp=1499827319559"
            "&origClientOrderId=ct1a2b3c4d-17");
}

/// The FULL answer of Binance's documentation (a SELL filled in five parts, commission in USDT).
const char* documented_full = R"({
  "symbol": "BTCUSDT", "orderId": 28, "orderListId": -1,
  "clientOrderId": "6gCrw2kRUAF9CvJDGP16IP", "transactTime": 1507725176595,
  "price": "0.00000000", "origQty": "10.00000000", "executedQty": "10.00000000",
  "origQuoteOrderQty": "0.000000", "cummulativeQuoteQty": "10.00000000", "status": "FILLED",
  "timeInForce": "GTC", "type": "MARKET", "side": "SELL", "workingTime": 1507725176595,
  "selfTradePreventionMode": "NONE",
  "fills": [
    {"price": "4000.00000000", "qty": "1.00000000", "commission": "4.00000000",
     "commissionAsset": "USDT", "tradeId": 56},
    {"price": "3999.00000000", "qty": "5.00000000", "commission": "19.99500000",
     "commissionAsset": "USDT", "tradeId": 57},
    {"price": "3998.00000000", "qty": "2.00000000", "commission": "7.99600000",
     "commissionAsset": "USDT", "tradeId": 58},
    {"price": "3997.00000000", "qty": "1.00000000", "commission": "3.99700000",
     "commissionAsset": "USDT", "tradeId": 59},
    {"price": "3995.00000000", "qty": "1.00000000", "commission": "3.99500000",
     "commissionAsset": "USDT", "tradeId": 60}]})";

TEST(BinanceOrders, TheDocumentedFullAnswer) {
  auto a = parse_order_answer(documented_full);
  ASSERT_TRUE(a.ok()) << a.err().message;
  EXPECT_EQ(a.value().client_order_id, "6gCrw2kRUAF9CvJDGP16IP");
  EXPECT_EQ(a.value().status, "FILLED");
  EXPECT_EQ(a.value().side, "SELL");
  EXPECT_EQ(a.value().time_ms, 1507725176595);
  ASSERT_EQ(a.value().fills.size(), 5u);
  EXPECT_EQ(a.value().fills[1].commission, *quantity::parse("19.995"));
  auto b = book_order(a.value(), "BTC", "USDT");
  ASSERT_TRUE(b.ok()) << b.err().message;
  EXPECT_EQ(b.value().qty, *quantity::parse("10"));
  EXPECT_EQ(b.value().px, *price::parse("1"));  // its cummulativeQuoteQty / executedQty
  EXPECT_EQ(b.value().fee, *money::parse("39.983"));
  EXPECT_TRUE(b.value().other_fees.empty());
}

TEST(BinanceOrders, ABuysCommissionInTheBoughtAssetIsNotHeld) {
  auto a = parse_order_answer(R"({"symbol":"BTCUSDT","orderId":7,"clientOrderId":"c-1",
    "transactTime":1,"executedQty":"0.00200000","cummulativeQuoteQty":"128.00000000",
    "status":"FILLED","side":"BUY","fills":[
    {"price":"64000.00","qty":"0.00200000","commission":"0.00000200","commissionAsset":"BTC"}]})");
  ASSERT_TRUE(a.ok()) << a.err().message;
  auto b = book_order(a.value(), "BTC", "USDT");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().qty, *quantity::parse("0.001998"));  // what selling it later can sell
  EXPECT_EQ(b.value().px, *price::parse("64000"));
  EXPECT_EQ(b.value().fee, *money::parse("0.128"));  // 0.000002 BTC at 64000
}

TEST(BinanceOrders, ACommissionInBnbIsAFeeInBnb) {
  auto a = parse_order_answer(R"({"symbol":"BTCUSDT","orderId":8,"clientOrderId":"c-2",
    "transactTime":1,"executedQty":"0.00200000","cummulativeQuoteQty":"128.00000000",
    "status":"FILLED","side":"BUY","fills":[
    {"price":"64000.00","qty":"0.00100000","commission":"0.00010000","commissionAsset":"BNB"},
    {"price":"64000.00","qty":"0.00100000","commission":"0.00010000","commissionAsset":"BNB"}]})");
  ASSERT_TRUE(a.ok()) << a.err().message;
  auto b = book_order(a.value(), "BTC", "USDT");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().qty, *quantity::parse("0.002"));
  EXPECT_TRUE(b.value().fee.is_zero());
  EXPECT_EQ(b.value().other_fees.at("BNB"), *quantity::parse("0.0002"));
}

TEST(BinanceOrders, NothingExecutedBooksNothing) {
  auto a = parse_order_answer(R"({"symbol":"BTCUSDT","orderId":9,"clientOrderId":"c-3",
    "time":1,"executedQty":"0.00000000","cummulativeQuoteQty":"0.00000000",
    "status":"EXPIRED","side":"BUY"})");
  ASSERT_TRUE(a.ok()) << a.err().message;
  auto b = book_order(a.value(), "BTC", "USDT");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.err().message.find("EXPIRED"), std::string::npos);
}

TEST(BinanceOrders, MalformedAnswersAndErrorCodes) {
  for (const char* body : {"", "[]", R"({"symbol":"X"})",
                           R"({"symbol":"X","status":"FILLED","side":"BUY","executedQty":"1",
                               "cummulativeQuoteQty":"-1"})",
                           R"({"symbol":"X","status":"FILLED","side":"HOLD","executedQty":"1",
                               "cummulativeQuoteQty":"1"})",
                           R"({"symbol":"X","status":"FILLED","side":"BUY","executedQty":"1",
                               "cummulativeQuoteQty":"1","fills":[{"price":"1"}]})"})
    EXPECT_FALSE(parse_order_answer(body).ok()) << body;
  EXPECT_EQ(binance_error_code(R"({"code":-2013,"msg":"Order does not exist."})"), no_such_order);
  EXPECT_EQ(binance_error_code(R"({"code":-1013,"msg":"Filter failure: NOTIONAL"})"), -1013);
  EXPECT_EQ(binance_error_code("<html>502</html>"), 0);
}

/// GET /api/v3/myTrades as Binance documents it: the trades of a lost answer's order.
TEST(BinanceOrders, TradesBookAsTheOrdersFills) {
  auto parts = parse_trades(R"([{"symbol": "BNBBTC", "id": 28457, "orderId": 100234,
    "orderListId": -1, "price": "4.00000100", "qty": "12.00000000", "quoteQty": "48.000012",
    "commission": "10.10000000", "commissionAsset": "BNB", "time": 1499865549590,
    "isBuyer": true, "isMaker": false, "isBestMatch": true}])");
  ASSERT_TRUE(parts.ok()) << parts.err().message;
  ASSERT_EQ(parts.value().size(), 1u);
  EXPECT_EQ(parts.value()[0].px, *price::parse("4.000001"));
  EXPECT_EQ(parts.value()[0].qty, *quantity::parse("12"));
  EXPECT_EQ(parts.value()[0].commission, *quantity::parse("10.1"));
  EXPECT_EQ(parts.value()[0].commission_asset, "BNB");
  EXPECT_TRUE(parse_trades("[]").ok());
  for (const char* body : {"", "{}", R"([{"price":"1"}])", "[[[[[]]]]]"})
    EXPECT_FALSE(parse_trades(body).ok()) << body;
}

TEST(BinanceOrders, BalancesAreFreePlusLocked) {
  auto b = parse_balances(R"({"makerCommission": 15, "canTrade": true, "balances": [
    {"asset": "BTC", "free": "4723846.89208129", "locked": "0.00000001"},
    {"asset": "LTC", "free": "4763368.68006011", "locked": "0.00000000"},
    {"asset": "ETH", "free": "0.00000000", "locked": "0.00000000"}], "permissions": ["SPOT"]})");
  ASSERT_TRUE(b.ok()) << b.err().message;
  EXPECT_EQ(b.value().at("BTC"), *quantity::parse("4723846.8920813"));
  EXPECT_EQ(b.value().at("LTC"), *quantity::parse("4763368.68006011"));
  EXPECT_EQ(b.value().count("ETH"), 0u);  // nothing held
  for (const char* body : {"", "[]", R"({"balances":{}})", R"({"balances":[{"asset":"BTC"}]})"})
    EXPECT_FALSE(parse_balances(body).ok()) << body;
  EXPECT_EQ(account_query(1499827319559, 5000),
            "omitZeroBalances=true&recvWindow=5000&timestamp=1499827319559");
  EXPECT_EQ(order_trades_query("BTCUSDT", 28, 1499827319559, 5000),
            "symbol=BTCUSDT&recvWindow=5000&timestamp=1499827319559&orderId=28");
}

TEST(BinanceOrders, AnswersBeyondTheLedgersRangeBookNothing) {
  // A price past the fixed-point range (a huge quote for a tiny quantity), commissions whose
  // sum is, and a commission in base larger than what was bought: errors, never a throw.
  for (const char* body :
       {R"({"symbol":"BTCUSDT","clientOrderId":"x","status":"FILLED","side":"BUY",
            "executedQty":"0.00000001","cummulativeQuoteQty":"90000000000"})",
        R"({"symbol":"BTCUSDT","clientOrderId":"x","status":"FILLED","side":"BUY",
            "executedQty":"1","cummulativeQuoteQty":"1","fills":[
            {"price":"1","qty":"1","commission":"90000000000","commissionAsset":"USDT"},
            {"price":"1","qty":"1","commission":"90000000000","commissionAsset":"USDT"}]})",
        R"({"symbol":"BTCUSDT","clientOrderId":"x","status":"FILLED","side":"BUY",
            "executedQty":"1","cummulativeQuoteQty":"1","fills":[
            {"price":"1","qty":"1","commission":"2","commissionAsset":"BTC"}]})"}) {
    auto a = parse_order_answer(body);
    ASSERT_TRUE(a.ok()) << body;
    EXPECT_FALSE(book_order(a.value(), "BTC", "USDT").ok()) << body;
  }
}

TEST(BinanceOrders, WhichStatusesCanStillChange) {
  for (const char* s : {"NEW", "PARTIALLY_FILLED", "PENDING_NEW"})
    EXPECT_TRUE(order_in_progress(s)) << s;
  for (const char* s : {"FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH"})
    EXPECT_FALSE(order_in_progress(s)) << s;
}

}  // namespace
}  // namespace ct::exchange
