#include "trading/exits.hpp"

#include <algorithm>
#include <optional>

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

TEST(ExitsTest, AQuietCandleTouchesNoLevelAndMovesNoTrailingStop) {
  exit_levels l{px(10'000), 10'000, 20'000, 0};  // stop 9'900, target 10'200
  EXPECT_TRUE(l.quiet_within(px(9'901), px(10'199)));
  EXPECT_EQ(l.high_water(), px(10'199));  // without a trailing stop the high just follows
  EXPECT_FALSE(l.quiet_within(px(9'900), px(10'000)));
  EXPECT_FALSE(l.quiet_within(px(10'000), px(10'200)));
  exit_levels t{px(10'000), 0, 0, 20'000};  // trailing: a new high must take the exact walk
  EXPECT_TRUE(t.quiet_within(px(9'900), px(10'000)));
  EXPECT_FALSE(t.quiet_within(px(9'900), px(10'001)));
  EXPECT_TRUE(exit_levels{}.quiet_within(px(1), px(1'000'000)));
}

TEST(ExitsTest, WalkingAPathGivesWhatEachMoveGives) {
  // walk_path skips the moves of a quiet candle; over random candles and levels it must answer
  // exactly as the three moves of the path one by one.
  std::uint64_t seed = 12345;
  auto next = [&seed](std::int64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((seed >> 33) % static_cast<std::uint64_t>(n));
  };
  for (int k = 0; k < 20'000; ++k) {
    const std::int64_t a = 9'000 + next(2'000);
    const std::int64_t b = 9'000 + next(2'000);
    const std::int64_t lo = std::min(a, b);
    const std::int64_t hi = std::max(a, b);
    const candle c{0, px(lo + next(hi - lo + 1)), px(hi), px(lo), px(lo + next(hi - lo + 1)), {}};
    const exit_levels start{px(10'000), next(2) * next(50'000), next(2) * next(50'000),
                            next(2) * next(50'000)};
    exit_levels walked = start;
    exit_levels moved = start;
    const auto got = walk_path(walked, c);
    std::optional<exit_hit> want;
    const auto path = candle_path(c);
    for (std::size_t i = 0; i + 1 < path.size() && !want; ++i)
      want = moved.on_move(path[i], path[i + 1]);
    ASSERT_EQ(got.has_value(), want.has_value()) << k;
    if (got) {
      EXPECT_EQ(got->reason, want->reason) << k;
      EXPECT_EQ(got->at, want->at) << k;
    }
    EXPECT_EQ(walked.stop().has_value(), moved.stop().has_value()) << k;
    if (walked.stop()) {
      EXPECT_EQ(walked.stop()->at, moved.stop()->at) << k;
    }
  }
}

TEST(ExitsTest, CandlePathVisitsTheNearExtremeFirst) {
  candle up{0, px(10), px(15), px(8), px(12), {}};
  EXPECT_EQ(candle_path(up)[1], px(8));
  candle down{0, px(10), px(15), px(8), px(9), {}};
  EXPECT_EQ(candle_path(down)[1], px(15));
}

TEST(ExitsTest, ARestoredStopIsKeptAndTheTrailingStopRisesFromIt) {
  exit_levels l{px(10'000), 50'000, 0, 20'000};  // fixed 9'500; trailing 2 % below the high
  l.resume_stop(px(10'290));                     // raised before a restart, from a high of 10'500
  EXPECT_EQ(l.stop()->at, px(10'290));
  EXPECT_EQ(l.stop()->reason, exit_reason::trailing_stop);
  EXPECT_FALSE(l.on_move(px(10'000), px(10'400)));  // a trailing stop of 10'192 would be lower
  EXPECT_EQ(l.stop()->at, px(10'290));
  EXPECT_FALSE(l.on_move(px(10'400), px(10'600)));
  EXPECT_EQ(l.stop()->at, px(10'388));
  l.resume_stop(px(9'000));  // never lowers it
  EXPECT_EQ(l.stop()->at, px(10'388));
}

}  // namespace
}  // namespace ct::trading
