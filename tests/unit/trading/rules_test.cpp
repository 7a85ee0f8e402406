#include "trading/rules.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

quote touch(std::int64_t bid, std::int64_t ask) {
  quote q;
  q.bid = price::from_units(bid);
  q.ask = price::from_units(ask);
  q.last = price::from_units((bid + ask) / 2);
  return q;
}

TEST(RulesTest, StopsAndTargetsFromPercentages) {
  EXPECT_EQ(stop_loss_price(price::from_units(10'000), 10'000)->units(), 9'900);
  EXPECT_EQ(take_profit_price(price::from_units(10'000), 15'000)->units(), 10'150);
  EXPECT_FALSE(stop_loss_price(price::from_units(10'000), 0).has_value());
  EXPECT_FALSE(take_profit_price(price::from_units(10'000), 0).has_value());
}

TEST(RulesTest, PaperFillsPayTheTouchAndSlippageConservatively) {
  const auto q = touch(10'000, 10'010);
  EXPECT_EQ(buy_price(q.ask, 500).units(), 10'016);        // 10015.005 up
  EXPECT_EQ(sell_price(q.bid, 500).units(), 9'995);        // 9995 exactly
  EXPECT_EQ(sell_price(touch(3, 4).bid, 500).units(), 2);  // 2.9985 down
  EXPECT_EQ(fee_for(price::from_units(100'000'000), quantity::from_units(1), 1000).units(), 1);
}

}  // namespace
}  // namespace ct::trading
