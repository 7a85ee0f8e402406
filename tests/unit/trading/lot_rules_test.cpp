// An exchange's order-size rules: rounding down to the steps, the minimum and maximum
// quantities and the minimum notional, and the venue that applies them before paper fills.
#include "trading/lot_rules.hpp"

#include <gtest/gtest.h>

#include "trading/venue.hpp"

namespace ct::trading {
namespace {

quantity q(const char* s) {
  return *quantity::parse(s);
}

/// Binance's BTCUSDT filters, as exchangeInfo gave them in 2024 (NOTIONAL 5 USDT).
lot_rules btcusdt() {
  lot_rules r;
  r.step = q("0.00001");
  r.min_qty = q("0.00001");
  r.max_qty = q("9000");
  r.market_max = q("100");
  r.min_notional = *money::parse("5");
  return r;
}

TEST(LotRules, RoundsDownToTheStep) {
  auto r = fit_market_order(btcusdt(), q("0.00155432"), *price::parse("64000"));
  ASSERT_TRUE(r.ok()) << r.err().message;
  EXPECT_EQ(r.value(), q("0.00155"));
}

TEST(LotRules, AMarketStepRoundsFurther) {
  auto rules = btcusdt();
  rules.market_step = q("0.001");
  auto r = fit_market_order(rules, q("0.00155432"), *price::parse("64000"));
  ASSERT_TRUE(r.ok()) << r.err().message;
  EXPECT_EQ(r.value(), q("0.001"));
}

TEST(LotRules, BelowTheMinimumNotionalIsRefusedWithTheFigures) {
  // 0.00007 x 64000 = 4.48 USDT < 5.
  auto r = fit_market_order(btcusdt(), q("0.000079"), *price::parse("64000"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("notional 4.48"), std::string::npos) << r.err().message;
  EXPECT_NE(r.err().message.find("minimum 5"), std::string::npos) << r.err().message;
}

TEST(LotRules, BelowOneStepIsRefused) {
  auto r = fit_market_order(btcusdt(), q("0.000009"), *price::parse("64000"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("below the minimum"), std::string::npos) << r.err().message;
}

TEST(LotRules, AboveTheMarketMaximumIsRefused) {
  auto r = fit_market_order(btcusdt(), q("150"), *price::parse("1"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.err().message.find("above the maximum 100"), std::string::npos) << r.err().message;
}

TEST(LotRules, NoRulesLeaveTheQuantityAlone) {
  auto r = fit_market_order(lot_rules{}, q("0.12345678"), *price::parse("1"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), q("0.12345678"));
}

TEST(LotCheckedVenue, PaperFillsTheRoundedQuantityAndRefusesWhatTheExchangeWould) {
  auto clock = std::make_shared<manual_clock>(from_unix_ms(1'700'000'000'000));
  lot_checked_venue venue{std::make_unique<paper_venue>(0, 1000, clock), {{"BTC-USDT", btcusdt()}}};
  std::optional<result<fill>> got;
  market_order o{"paper-1", "BTC-USDT", order_side::buy, q("0.00155432"), *price::parse("64000"),
                 {}};
  venue.submit(o, [&](result<fill> r) { got = std::move(r); });
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value().qty, q("0.00155"));
  EXPECT_EQ(got->value().px, *price::parse("64000"));

  got.reset();
  o.qty = q("0.00007");
  venue.submit(o, [&](result<fill> r) { got = std::move(r); });
  ASSERT_TRUE(got && !got->ok());
  EXPECT_NE(got->err().message.find("filters refuse"), std::string::npos);

  got.reset();  // a symbol without rules: as the inner venue does
  o.symbol = "ETH-USDT";
  venue.submit(o, [&](result<fill> r) { got = std::move(r); });
  ASSERT_TRUE(got && got->ok());
  EXPECT_EQ(got->value().qty, q("0.00007"));
}

}  // namespace
}  // namespace ct::trading
