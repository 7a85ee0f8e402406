#include "trading/backoff.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

TEST(BackoffTest, DoublesFromInitialUpToTheCap) {
  backoff_policy p{std::chrono::milliseconds{10}, std::chrono::milliseconds{100}, 2.0};
  EXPECT_EQ(next_backoff(0, p).count(), 10);
  EXPECT_EQ(next_backoff(1, p).count(), 20);
  EXPECT_EQ(next_backoff(2, p).count(), 40);
  EXPECT_EQ(next_backoff(3, p).count(), 80);
  EXPECT_EQ(next_backoff(4, p).count(), 100);
  EXPECT_EQ(next_backoff(1000, p).count(), 100);
}

}  // namespace
}  // namespace ct::trading
