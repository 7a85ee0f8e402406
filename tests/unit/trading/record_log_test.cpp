#include "trading/record_log.hpp"

#include <cstdint>
#include <utility>

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

struct record {
  std::int64_t id = 0;
  double value = 0;
};

TEST(RecordLogTest, KeepsEveryRecordInOrderAsItGrows) {
  record_log<record> log;
  EXPECT_TRUE(log.empty());
  for (std::int64_t i = 0; i < 100'000; ++i)  // grows through many reallocations
    log.push_back({i, static_cast<double>(i) / 2});
  ASSERT_EQ(log.size(), 100'000u);
  EXPECT_GE(log.capacity(), log.size());
  std::int64_t want = 0;
  for (const auto& r : log) {
    ASSERT_EQ(r.id, want);
    ASSERT_EQ(r.value, static_cast<double>(want) / 2);
    ++want;
  }
  EXPECT_EQ(log.front().id, 0);
  EXPECT_EQ(log.back().id, 99'999);
  EXPECT_EQ(log[4'242].id, 4'242);
}

TEST(RecordLogTest, CopiesAreIndependentAndMovesLeaveTheSourceEmpty) {
  record_log<record> a;
  for (std::int64_t i = 0; i < 1'000; ++i)
    a.push_back({i, 0});
  record_log<record> b = a;
  b.push_back({1'000, 0});
  EXPECT_EQ(a.size(), 1'000u);
  EXPECT_EQ(b.size(), 1'001u);
  EXPECT_EQ(b[999].id, 999);
  record_log<record> c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty, by contract
  EXPECT_EQ(c.size(), 1'001u);
  a = c;
  EXPECT_EQ(a.size(), 1'001u);
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(c.back().id, 1'000);
  record_log<record> empty;
  record_log<record> copy = empty;
  EXPECT_TRUE(copy.empty());
  EXPECT_EQ(copy.begin(), copy.end());
}

}  // namespace
}  // namespace ct::trading
