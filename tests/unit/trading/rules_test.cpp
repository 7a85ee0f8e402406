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

opportunity buy(std::string symbol, double score) {
  return {std::move(symbol), action::buy, score, price::from_units(1000), "momentum", "r", 0};
}

TEST(RulesTest, StopsAndTargetsFromPercentages) {
  EXPECT_EQ(stop_loss_price(price::from_units(10'000), 10'000)->units(), 9'900);
  EXPECT_EQ(take_profit_price(price::from_units(10'000), 15'000)->units(), 10'150);
  EXPECT_FALSE(stop_loss_price(price::from_units(10'000), 0).has_value());
  EXPECT_FALSE(take_profit_price(price::from_units(10'000), 0).has_value());
}

TEST(RulesTest, PaperFillsPayTheTouchAndSlippageConservatively) {
  const auto q = touch(10'000, 10'010);
  EXPECT_EQ(paper_fill_price(order_side::buy, q, 500).units(), 10'016);        // 10015.005 up
  EXPECT_EQ(paper_fill_price(order_side::sell, q, 500).units(), 9'995);        // 9995 exactly
  EXPECT_EQ(paper_fill_price(order_side::sell, touch(3, 4), 500).units(), 2);  // 2.9985 down
  EXPECT_EQ(fee_for(price::from_units(100'000'000), quantity::from_units(1), 1000).units(), 1);
}

TEST(RulesTest, EntriesStrongestFirstUpToMaxPositionsWithinCash) {
  portfolio book{money::from_units(35'000)};
  risk_rules r;
  r.max_positions = 3;
  r.stake_amount = money::from_units(10'000);
  r.fee_ppm = 1000;
  std::map<std::string, quote> quotes{{"A-B", touch(999, 1000)},
                                      {"C-D", touch(999, 1000)},
                                      {"E-F", touch(999, 1000)},
                                      {"G-H", touch(999, 1000)}};
  std::vector<opportunity> opps{buy("A-B", 5), buy("C-D", 4), buy("E-F", 3), buy("G-H", 2)};
  opps.insert(opps.begin() + 1, {"X-Y", action::sell, -9, price::from_units(1), "m", "r"});
  auto plan = plan_entries(book, opps, quotes, r, {});
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].symbol, "A-B");
  EXPECT_EQ(plan[1].symbol, "C-D");
  EXPECT_EQ(plan[2].symbol, "E-F");
  EXPECT_EQ(plan[0].qty.units(), 1'000'000'000);  // 10000 units / 1000 per unit = 10 whole
  // A pending order counts against max_positions and takes its symbol.
  plan = plan_entries(book, opps, quotes, r, {"A-B"});
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].symbol, "C-D");
  // Not enough cash for a second stake plus fees.
  portfolio poor{money::from_units(15'000)};
  EXPECT_EQ(plan_entries(poor, opps, quotes, r, {}).size(), 1u);
  r.max_positions = 0;
  EXPECT_TRUE(plan_entries(book, opps, quotes, r, {}).empty());
}

}  // namespace
}  // namespace ct::trading
