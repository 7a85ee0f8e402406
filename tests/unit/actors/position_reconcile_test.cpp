// The position manager live on Binance (a fake account behind the account worker's interface):
// orders the service left submitted are asked for at start and booked once, or marked as never
// placed; an account short of the ledger keeps trading off and says why.
#include <gtest/gtest.h>

#include "position_manager_fixture.hpp"

namespace ct::actors::pm_test {
namespace {

using nlohmann::json;
using trading::quantity;

class ReconcileTest : public PositionManagerTest {
protected:
  ReconcileTest() {
    config.mode = msg::trading_mode::live;
    account = sys.spawn(test::fake_account, script);
  }

  /// What a crash left in the store: `id`, an order of `symbol`, submitted and never answered.
  void left_submitted(const std::string& id, const std::string& symbol, const char* side = "buy",
                      quantity qty = *quantity::parse("0.5"),
                      const std::string& reason = "momentum") {
    store::write_batch b;
    b.orders.push_back(
        msg::order_row{id, symbol, side, qty, reason, "submitted", "", clock->now()});
    store.db().commit({&b});
  }

  /// A-B bought on the bot's first scan; its quantity.
  quantity hold_a_b() {
    start();
    ask<msg::trading_changed>(pm, msg::start_atom::value);
    scan({{"A-B", 10'000}}, {buy("A-B", 1)});
    return positions().at(0).qty;
  }

  json last(const std::string& type) {
    const auto all = events(type);
    EXPECT_FALSE(all.empty()) << type;
    return all.empty() ? json{} : json::parse(all.back().data);
  }

  std::shared_ptr<test::account_script> script = std::make_shared<test::account_script>();
};

TEST_F(ReconcileTest, OrdersLeftSubmittedAreAskedForAndBookedOnce) {
  left_submitted("ct-1", "A-B");  // Binance filled it
  left_submitted("ct-2", "C-B");  // Binance never took it
  msg::order_outcome never;
  never.what = msg::order_outcome::kind::not_placed;
  never.error = "Binance has no order ct-2: it was never placed";
  script->outcomes["ct-2"] = never;
  script->balances["A"] = *quantity::parse("0.5");
  saved = store.load_ledger();
  ASSERT_EQ(saved.pending.size(), 2u);
  start();
  EXPECT_EQ(script->asked, (std::vector<std::string>{"ct-1", "ct-2"}));
  const auto open = positions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].symbol, "A-B");
  EXPECT_EQ(open[0].qty, *quantity::parse("0.5"));
  EXPECT_EQ(open[0].entry_price.units(), 1000);
  const auto told = last("reconciled");
  EXPECT_EQ(told["ok"], true);
  EXPECT_EQ(told["orders"][0]["outcome"], "filled");
  EXPECT_EQ(told["orders"][1]["outcome"], "not_placed");
  EXPECT_EQ(told["positions"][0]["ok"], true);
  EXPECT_NE(last("order_rejected")["error"].get<std::string>().find("never placed"),
            std::string::npos);
  // Booked once: the next start finds nothing left to ask.
  restart();
  EXPECT_EQ(script->asked.size(), 2u);
  EXPECT_EQ(positions().size(), 1u);
  EXPECT_EQ(events("order_filled").size(), 1u);
  EXPECT_EQ(events("reconciled").size(), 2u);
  EXPECT_TRUE(script->placed.empty());  // nothing was sent again
}

TEST_F(ReconcileTest, AnAccountShortOfTheLedgerKeepsTradingOff) {
  start();
  EXPECT_EQ(last("reconciled")["ok"], true);  // nothing open, nothing pending
  ask<msg::trading_changed>(pm, msg::start_atom::value);
  scan({{"A-B", 10'000}}, {buy("A-B", 1)});
  ASSERT_EQ(script->placed.size(), 1u);
  EXPECT_EQ(script->placed[0].client_id.rfind("ct", 0), 0u);
  const auto held = positions().at(0).qty;
  script->balances["A"] = held - quantity::from_units(1);  // one unit short: no step to spare
  restart();
  EXPECT_FALSE(status().trading);
  const auto told = last("reconciled");
  EXPECT_EQ(told["ok"], false);
  EXPECT_NE(told["error"].get<std::string>().find("A-B"), std::string::npos);
  EXPECT_EQ(last("trading_stopped")["reason"], "reconciliation");
  const auto refused = ask_error<msg::trading_changed>(pm, msg::start_atom::value);
  EXPECT_EQ(code_of(refused), msg::errc::conflict);
  EXPECT_NE(msg::message_of(refused, "").find("does not match the ledger"), std::string::npos);
  // Once the account holds it again, the next start trades again.
  script->balances["A"] = held;
  restart();
  EXPECT_EQ(last("reconciled")["ok"], true);
  EXPECT_TRUE(ask<msg::trading_changed>(pm, msg::start_atom::value).changed);
}

TEST_F(ReconcileTest, ASellLeftSubmittedThatFilledClosesItsPositionOnce) {
  const auto held = hold_a_b();
  left_submitted("ct-9", "A-B", "sell", held, "exit: take_profit");
  msg::order_outcome sold;
  sold.what = msg::order_outcome::kind::filled;
  sold.fill = trading::fill{
      "ct-9", "A-B", trading::order_side::sell, held, price::from_units(1100), {}, clock->now()};
  script->outcomes["ct-9"] = sold;
  restart();
  EXPECT_TRUE(positions().empty());
  const auto closed = positions("closed");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(*closed[0].exit_reason, trading::exit_reason::take_profit);
  EXPECT_EQ(closed[0].exit_price.units(), 1100);
  EXPECT_EQ(last("reconciled")["ok"], true);  // nothing open: nothing to cover
  EXPECT_EQ(script->placed.size(), 1u);       // the buy; the sell was never sent again
}

TEST_F(ReconcileTest, ASellBinanceNeverTookGivesThePositionBack) {
  const auto held = hold_a_b();
  left_submitted("ct-9", "A-B", "sell", held, "exit: stop_loss");
  msg::order_outcome never;
  never.what = msg::order_outcome::kind::not_placed;
  never.error = "Binance has no order ct-9: it was never placed";
  script->outcomes["ct-9"] = never;
  script->balances["A"] = held;
  restart();
  const auto open = positions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(last("reconciled")["ok"], true);
  // The engine holds it again: closing it now sends a sell.
  const auto closed = ask<trading::position>(pm, msg::close_position{open[0].id});
  EXPECT_FALSE(closed.is_open());
  ASSERT_EQ(script->placed.size(), 2u);
  EXPECT_EQ(script->placed[1].side, trading::order_side::sell);
  EXPECT_EQ(script->placed[1].qty, held);
}

}  // namespace
}  // namespace ct::actors::pm_test
