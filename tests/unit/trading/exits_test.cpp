#include "trading/exits.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

price px(std::int64_t u) {
  return price::from_units(u);
}

TEST(ExitsTest, StopFillsAtItsLevelWhenThePriceMovesThroughIt) {
  exit_levels l{px(10'000), 10'000, 0, 0};  // stop 1 % below: 9'900
  EXPECT_FALSE(l.on_move(px(10'000), px(9'950)));
  auto hit = l.on_move(px(9'950), px(9'800));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::stop_loss);
  EXPECT_EQ(hit->at, px(9'900));
}

TEST(ExitsTest, AGapPastTheStopFillsWhereThePriceIs) {
  exit_levels l{px(10'000), 10'000, 0, 0};
  auto hit = l.at_jump(px(9'500));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->at, px(9'500));
}

TEST(ExitsTest, TargetFillsAtItsLevelAndGapsUpFillBetter) {
  exit_levels l{px(10'000), 0, 20'000, 0};         // target 2 % above: 10'200
  EXPECT_FALSE(l.on_move(px(10'000), px(9'000)));  // no stop
  auto hit = l.on_move(px(10'100), px(10'500));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::take_profit);
  EXPECT_EQ(hit->at, px(10'200));
  exit_levels g{px(10'000), 0, 20'000, 0};
  EXPECT_EQ(g.at_jump(px(10'300))->at, px(10'300));
}

TEST(ExitsTest, TrailingStopFollowsTheHighAndTakesOverFromTheFixedStop) {
  exit_levels l{px(10'000), 50'000, 0, 20'000};  // fixed 9'500; trailing 2 %: 9'800
  EXPECT_EQ(l.stop()->reason, exit_reason::trailing_stop);
  EXPECT_EQ(l.stop()->at, px(9'800));
  EXPECT_FALSE(l.on_move(px(10'000), px(11'000)));  // high 11'000: trailing 10'780
  EXPECT_EQ(l.high_water(), px(11'000));
  EXPECT_FALSE(l.on_move(px(11'000), px(10'800)));
  auto hit = l.on_move(px(10'800), px(10'500));
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->reason, exit_reason::trailing_stop);
  EXPECT_EQ(hit->at, px(10'780));
}

TEST(ExitsTest, FixedStopWinsWhileItIsHigher) {
  exit_levels l{px(10'000), 10'000, 0, 50'000};  // fixed 9'900 above trailing 9'500
  EXPECT_EQ(l.stop()->reason, exit_reason::stop_loss);
  EXPECT_EQ(l.stop()->at, px(9'900));
}

TEST(ExitsTest, NoLevelsNoExit) {
  exit_levels l{px(10'000), 0, 0, 0};
  EXPECT_FALSE(l.stop());
  EXPECT_FALSE(l.at_jump(px(1)));
  EXPECT_FALSE(l.on_move(px(1), px(1'000'000)));
}

TEST(ExitsTest, CandlePathVisitsTheNearExtremeFirst) {
  candle up{0, px(10), px(15), px(8), px(12), {}};
  EXPECT_EQ(candle_path(up)[1], px(8));
  candle down{0, px(10), px(15), px(8), px(9), {}};
  EXPECT_EQ(candle_path(down)[1], px(15));
}

}  // namespace
}  // namespace ct::trading
