#include "trading/portfolio.hpp"

#include <random>

#include <gtest/gtest.h>

#include "reference_money.hpp"

namespace ct::trading {
namespace {

fill make_fill(std::string symbol, order_side side, std::int64_t qty, std::int64_t px,
               std::int64_t fee) {
  fill f;
  f.order_id = "o";
  f.symbol = std::move(symbol);
  f.side = side;
  f.qty = quantity::from_units(qty);
  f.px = price::from_units(px);
  f.fee = money::from_units(fee);
  f.at = from_unix_ms(1000);
  return f;
}

TEST(PortfolioTest, OpenAndCloseMoveCashByTheFills) {
  portfolio book{money::from_units(100'000'000)};  // 1 BTC
  const auto& p = book.open(make_fill("ADA-BTC", order_side::buy, 187'617'260'787, 5330, 10'000),
                            price::from_units(5277), price::from_units(5410), "momentum", "why");
  const std::string id = p.id;
  EXPECT_EQ(id, "1");
  EXPECT_EQ(p.cost.units(), 10'000'000);  // 1876.17 ADA at 5330 sat, rounded up
  EXPECT_EQ(book.cash().units(), 100'000'000 - 10'000'000 - 10'000);
  EXPECT_EQ(book.realized_pnl().units(), -10'000);  // the entry fee
  book.mark("ADA-BTC", price::from_units(5400));
  EXPECT_EQ(book.unrealized_pnl().units(),
            test::notional_units(5400, p.qty.units(), false) - 10'000'000);
  EXPECT_EQ(book.equity(), book.starting_cash() + book.realized_pnl() + book.unrealized_pnl());
  const auto& closed =
      book.close(id, make_fill("ADA-BTC", order_side::sell, 187'617'260'787, 5400, 10'200),
                 exit_reason::take_profit);
  EXPECT_FALSE(closed.is_open());
  EXPECT_EQ(closed.realized_pnl(), closed.proceeds - closed.cost - money::from_units(20'200));
  EXPECT_TRUE(book.open_positions().empty());
  EXPECT_EQ(book.closed_count(), 1u);
  EXPECT_EQ(book.cash(), book.starting_cash() + closed.realized_pnl());
  EXPECT_EQ(book.fees_paid().units(), 20'200);
}

TEST(PortfolioTest, RejectsFillsThatBreakTheLedger) {
  portfolio book{money::from_units(100)};
  EXPECT_THROW(book.open(make_fill("A-B", order_side::sell, 1, 1, 0), {}, {}, "", ""),
               std::invalid_argument);
  const auto id = book.open(make_fill("A-B", order_side::buy, 10, 1, 0), {}, {}, "", "").id;
  EXPECT_THROW(book.close(id, make_fill("A-B", order_side::sell, 5, 1, 0), exit_reason::manual),
               std::invalid_argument);
  EXPECT_THROW(
      book.close("nope", make_fill("A-B", order_side::sell, 10, 1, 0), exit_reason::manual),
      std::invalid_argument);
}

TEST(PortfolioTest, ManyRandomTradesReconcileExactly) {
  std::mt19937_64 rng{7};
  std::uniform_int_distribution<std::int64_t> px{1000, 9'000'000};
  std::uniform_int_distribution<std::int64_t> qty{1, 50'000'000'000};
  portfolio book{money::from_units(1'000'000'000'000), 100};
  money fills_cash = book.starting_cash();  // cash rebuilt independently from the fills
  for (int i = 0; i < 2000; ++i) {
    const std::string symbol = "S" + std::to_string(i % 7) + "-BTC";
    if (const auto* open = book.find_open_by_symbol(symbol)) {
      auto f = make_fill(symbol, order_side::sell, open->qty.units(), px(rng), 0);
      f.fee = money::from_units(test::fee_units(f.px.units(), f.qty.units(), 1000));
      fills_cash +=
          money::from_units(test::notional_units(f.px.units(), f.qty.units(), false)) - f.fee;
      book.close(open->id, f, exit_reason::signal);
    } else {
      auto f = make_fill(symbol, order_side::buy, qty(rng), px(rng), 0);
      f.fee = money::from_units(test::fee_units(f.px.units(), f.qty.units(), 1000));
      fills_cash -=
          money::from_units(test::notional_units(f.px.units(), f.qty.units(), true)) + f.fee;
      book.open(f, {}, {}, "", "");
    }
    book.mark(symbol, price::from_units(px(rng)));
    ASSERT_EQ(book.cash(), fills_cash);
    ASSERT_EQ(book.equity(), book.starting_cash() + book.realized_pnl() + book.unrealized_pnl());
  }
  EXPECT_EQ(book.closed_positions().size(), 100u);  // older ones left memory, not the totals
  EXPECT_GT(book.closed_count(), 100u);
}

}  // namespace
}  // namespace ct::trading
