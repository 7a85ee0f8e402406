#include "trading/order_book.hpp"

#include <gtest/gtest.h>

namespace ct::trading {
namespace {

quote at(std::int64_t last_units) {
  quote q;
  q.last = price::from_units(last_units);
  q.bid = price::from_units(last_units - 5);
  q.ask = price::from_units(last_units + 5);
  return q;
}

TEST(OrderBookTest, LevelsStraddleTheQuoteBestFirst) {
  const auto book = make_book(at(100'000), 1e6, 7, 0, {5, 500});
  ASSERT_EQ(book.bids.size(), 5u);
  ASSERT_EQ(book.asks.size(), 5u);
  EXPECT_EQ(book.bids[0].px.units(), 99'995);
  EXPECT_EQ(book.asks[0].px.units(), 100'005);
  EXPECT_EQ(book.bids[1].px.units(), 99'945);  // 0.05 % steps
  for (std::size_t i = 1; i < 5; ++i) {
    EXPECT_LT(book.bids[i].px, book.bids[i - 1].px);
    EXPECT_GT(book.asks[i].px, book.asks[i - 1].px);
  }
  for (const auto& l : book.bids)
    EXPECT_TRUE(l.qty.is_positive());
  // Deterministic: the same inputs, the same book.
  const auto again = make_book(at(100'000), 1e6, 7, 0, {5, 500});
  EXPECT_EQ(again.bids[3].qty, book.bids[3].qty);
}

TEST(OrderBookTest, DiffThenApplyRebuildsTheNewBook) {
  const auto before = make_book(at(100'000), 1e6, 1, 0, {8, 500});
  const auto after = make_book(at(100'120), 1e6, 2, 0, {8, 500});  // the price moved
  const auto changes = diff(before, after);
  auto replica = before;
  apply(replica, changes);
  ASSERT_EQ(replica.bids.size(), after.bids.size());
  ASSERT_EQ(replica.asks.size(), after.asks.size());
  for (std::size_t i = 0; i < after.bids.size(); ++i) {
    EXPECT_EQ(replica.bids[i].px, after.bids[i].px);
    EXPECT_EQ(replica.bids[i].qty, after.bids[i].qty);
  }
  for (std::size_t i = 0; i < after.asks.size(); ++i) {
    EXPECT_EQ(replica.asks[i].px, after.asks[i].px);
    EXPECT_EQ(replica.asks[i].qty, after.asks[i].qty);
  }
  // Levels that left the book are in the diff with size zero.
  bool removal = false;
  for (const auto& l : changes.bids)
    removal = removal || l.qty.is_zero();
  EXPECT_TRUE(removal);
  EXPECT_TRUE(diff(after, after).bids.empty());
}

TEST(OrderBookTest, AQuietMarketChangesOnlySomeLevelsAtATime) {
  const auto t0 = make_book(at(100'000), 1e6, 12, 3, {10, 500});
  const auto t1 = make_book(at(100'000), 1e6, 13, 3, {10, 500});
  const auto changes = diff(t0, t1);
  EXPECT_GT(changes.bids.size() + changes.asks.size(), 0u);
  EXPECT_LT(changes.bids.size() + changes.asks.size(), 20u);
}

}  // namespace
}  // namespace ct::trading
