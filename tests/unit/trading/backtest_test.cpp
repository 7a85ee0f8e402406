#include "trading/backtest.hpp"

#include <map>
#include <set>

#include <gtest/gtest.h>

#include "bundled_market.hpp"
#include "candle_builders.hpp"
#include "reference_money.hpp"

namespace ct::trading {
namespace {

using test::bar;
using test::step_5m;

constexpr std::int64_t t0 = 1'500'000'000'000;

std::int64_t at(int k) {
  return t0 + k * step_5m;
}

/// Signals on the candles it is told to, by open time; the same script for every symbol.
class scripted final : public strategy {
public:
  explicit scripted(std::map<std::int64_t, decision> script) : script_(std::move(script)) {}
  decision on_candle(const candle& c) override {
    auto it = script_.find(c.open_time_ms);
    return it == script_.end() ? decision{} : it->second;
  }
  std::string explain(const decision&) const override { return "scripted"; }
  std::unique_ptr<strategy> fresh() const override { return std::make_unique<scripted>(script_); }
  const char* name() const override { return "scripted"; }

private:
  std::map<std::int64_t, decision> script_;
};

backtest_settings plain() {
  backtest_settings s;
  s.starting_cash = money::from_units(1'000'000'000);  // 10
  s.rules.max_positions = 5;
  s.rules.stake_amount = money::from_units(100'000'000);  // 1
  return s;
}

candle_series series_of(std::string symbol, std::vector<candle> candles) {
  candle_series s;
  s.symbol = std::move(symbol);
  s.step_ms = step_5m;
  s.candles = std::move(candles);
  return s;
}

backtest_result run(const std::vector<candle_series>& data, const backtest_settings& s,
                    std::map<std::int64_t, decision> script) {
  auto r = run_backtest(data, s, scripted{std::move(script)});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.err().message);
  return std::move(r.value());
}

const decision buy{signal::buy, 1};
const decision sell{signal::sell, 1};

TEST(BacktestTest, ASignalActsAtTheNextCandlesOpen) {
  auto s = plain();
  s.rules.slippage_ppm = 1'000;  // 0.1 %
  s.rules.fee_ppm = 1'000;
  const auto data = {
      series_of("A-B", {bar(at(0), 1000, 1000, 1000, 1000), bar(at(1), 1100, 1200, 1050, 1150),
                        bar(at(2), 1150, 1150, 1150, 1150), bar(at(3), 1300, 1300, 1300, 1300)})};
  const auto r = run(data, s, {{at(0), buy}, {at(2), sell}});
  ASSERT_EQ(r.trades.size(), 1u);
  const auto& t = r.trades[0];
  EXPECT_EQ(t.entry_ms, at(1));
  EXPECT_EQ(t.entry_price, price::from_units(1102));  // the open plus 0.1 %, rounded up
  EXPECT_EQ(t.exit_ms, at(3));
  EXPECT_EQ(t.exit_price, price::from_units(1298));  // 1300 less 0.1 %, rounded down
  EXPECT_EQ(t.exit_reason, exit_reason::signal);
  EXPECT_EQ(t.qty, quantity_for(s.rules.stake_amount, t.entry_price, rounding::down));
  EXPECT_EQ(t.entry_fee.units(),
            test::fee_units(t.entry_price.units(), t.qty.units(), s.rules.fee_ppm));
  EXPECT_EQ(r.final_equity, s.starting_cash + t.pnl());
}

TEST(BacktestTest, WarmUpCandlesBeforeFromAreSeenNotTraded) {
  auto s = plain();
  s.from_ms = at(5);
  const auto data = {
      test::flat_series("A-B", {1000, 1000, 1000, 1000, 1000, 1100, 1200, 1300}, t0)};
  // Signals on warm-up candles: only the last one's is still pending at the first open.
  const std::map<std::int64_t, decision> script{{at(2), buy}, {at(4), buy}, {at(6), sell}};
  const auto cold = run(data, s, script);
  EXPECT_TRUE(cold.trades.empty());  // without a warm-up the strategy never saw at(4)
  s.warmup_candles = 3;
  const auto warm = run(data, s, script);
  ASSERT_EQ(warm.trades.size(), 1u);
  EXPECT_EQ(warm.trades[0].entry_ms, at(5));
  EXPECT_EQ(warm.trades[0].exit_ms, at(7));
  EXPECT_EQ(warm.from_ms, at(5));  // the report covers the range only
  EXPECT_EQ(warm.candles, 3u);
  EXPECT_EQ(warm.equity_curve.size(), 3u);
  // More warm-up than there are candles before the range: what there is.
  s.warmup_candles = 1000;
  EXPECT_EQ(run(data, s, script).trades.size(), 1u);
}

TEST(BacktestTest, StopLossFillsAtItsLevelInsideTheCandle) {
  auto s = plain();
  s.rules.stop_loss_ppm = 20'000;  // 2 %
  const auto data = {
      series_of("A-B", {bar(at(0), 1000, 1000, 1000, 1000), bar(at(1), 1000, 1010, 900, 1005)})};
  const auto r = run(data, s, {{at(0), buy}});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, exit_reason::stop_loss);
  EXPECT_EQ(r.trades[0].exit_price, price::from_units(980));
}

TEST(BacktestTest, TakeProfitFillsAtItsLevel) {
  auto s = plain();
  s.rules.take_profit_ppm = 50'000;
  const auto data = {
      series_of("A-B", {bar(at(0), 1000, 1000, 1000, 1000), bar(at(1), 1000, 1100, 990, 1000)})};
  const auto r = run(data, s, {{at(0), buy}});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, exit_reason::take_profit);
  EXPECT_EQ(r.trades[0].exit_price, price::from_units(1050));
}

TEST(BacktestTest, TrailingStopFollowsTheHighAcrossCandles) {
  auto s = plain();
  s.rules.trailing_stop_ppm = 100'000;  // 10 %
  const auto data = {series_of("A-B", {bar(at(0), 1000, 1000, 1000, 1000),
                                       bar(at(1), 1000, 2000, 1000, 2000),  // high 2000: 1800
                                       bar(at(2), 2000, 2000, 1700, 1750)})};
  const auto r = run(data, s, {{at(0), buy}});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, exit_reason::trailing_stop);
  EXPECT_EQ(r.trades[0].exit_price, price::from_units(1800));
  EXPECT_EQ(r.trades[0].exit_ms, at(3));  // the candle's close
}

TEST(BacktestTest, TimeLimitClosesAtTheCloseWhereTheAgeIsReached) {
  auto s = plain();
  s.rules.time_limit_ms = 2 * step_5m;
  std::vector<candle> c;
  for (int k = 0; k < 6; ++k)
    c.push_back(bar(at(k), 1000 + k, 1000 + k, 1000 + k, 1000 + k));
  const auto r = run({series_of("A-B", c)}, s, {{at(0), buy}});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, exit_reason::time_limit);
  EXPECT_EQ(r.trades[0].entry_ms, at(1));
  EXPECT_EQ(r.trades[0].exit_ms, at(3));
  EXPECT_EQ(r.trades[0].exit_price, price::from_units(1002));
}

TEST(BacktestTest, CooldownBlocksReentryOnThatSymbol) {
  auto s = plain();
  s.rules.cooldown_ms = 3 * step_5m;
  std::vector<candle> c;
  for (int k = 0; k < 10; ++k)
    c.push_back(bar(at(k), 1000, 1000, 1000, 1000));
  // Exit at at(3); buys signalled at at(3) (enters at(4): blocked) and at(5) (enters at(6): ok).
  const auto r =
      run({series_of("A-B", c)}, s, {{at(0), buy}, {at(2), sell}, {at(3), buy}, {at(5), buy}});
  ASSERT_EQ(r.trades.size(), 2u);
  EXPECT_EQ(r.trades[0].exit_ms, at(3));
  EXPECT_EQ(r.trades[1].entry_ms, at(6));
}

TEST(BacktestTest, MaxPositionsTakesTheStrongestSignals) {
  auto s = plain();
  s.rules.max_positions = 2;
  std::vector<candle_series> data;
  std::map<std::int64_t, decision> script;
  for (const char* sym : {"A-B", "C-B", "D-B"})
    data.push_back(test::flat_series(sym, {1000, 1000, 1000}, t0));
  class by_symbol final : public strategy {
  public:
    explicit by_symbol(double score) : score_(score) {}
    decision on_candle(const candle& c) override {
      return c.open_time_ms == t0 ? decision{signal::buy, score_} : decision{};
    }
    std::string explain(const decision&) const override { return ""; }
    std::unique_ptr<strategy> fresh() const override {
      return std::make_unique<by_symbol>(next_++);
    }
    const char* name() const override { return "by_symbol"; }

  private:
    double score_;
    mutable double next_ = 1;  // the symbols get scores 1, 2, 3 in order
  };
  auto r = run_backtest(data, s, by_symbol{0});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.value().trades.size(), 2u);
  std::set<std::string> traded;
  for (const auto& t : r.value().trades)
    traded.insert(r.value().symbols[t.symbol]);
  EXPECT_EQ(traded, (std::set<std::string>{"C-B", "D-B"}));
}

TEST(BacktestTest, MaxDrawdownHaltsNewEntries) {
  auto s = plain();
  s.rules.stake_amount = money::from_units(900'000'000);  // 9 of 10
  s.rules.max_drawdown_ppm = 100'000;                     // 10 %
  const auto data = {series_of(
      "A-B", {bar(at(0), 1000, 1000, 1000, 1000), bar(at(1), 1000, 1000, 800, 800),  // equity -18 %
              bar(at(2), 800, 800, 800, 800), bar(at(3), 800, 800, 800, 800),
              bar(at(4), 800, 800, 800, 800)})};
  const auto r = run(data, s, {{at(0), buy}, {at(1), sell}, {at(2), buy}});
  ASSERT_TRUE(r.halted_at_ms.has_value());
  EXPECT_EQ(*r.halted_at_ms, at(2));
  EXPECT_EQ(r.trades.size(), 1u);  // the buy after the halt was refused
}

TEST(BacktestTest, WhatIsStillOpenClosesAtTheEndOfData) {
  const auto data = {test::flat_series("A-B", {1000, 1000, 1200}, t0)};
  const auto r = run(data, plain(), {{at(0), buy}});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, exit_reason::end_of_data);
  EXPECT_EQ(r.trades[0].exit_price, price::from_units(1200));
  EXPECT_DOUBLE_EQ(r.equity_curve.back().equity, r.final_equity.to_double());
}

TEST(BacktestTest, GapsAreReportedAndTheClockSkipsThem) {
  auto s = test::flat_series("A-B", {1000, 1000, 1000, 1000}, t0);
  s.candles[2].open_time_ms = at(5);
  s.candles[3].open_time_ms = at(6);
  s.gaps.push_back({at(2), 3});
  const auto r = run({s}, plain(), {});
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].gap.missing, 3);
  EXPECT_EQ(r.equity_curve.size(), 4u);
  EXPECT_EQ(r.candles, 4u);
}

TEST(BacktestTest, BadInputsAreErrors) {
  auto a = test::flat_series("A-B", {1, 2, 3});
  auto b = test::flat_series("C-B", {1, 2, 3});
  b.step_ms = 60'000;
  EXPECT_FALSE(run_backtest({a, b}, plain()).ok());
  EXPECT_FALSE(run_backtest({}, plain()).ok());
  auto s = plain();
  s.from_ms = at(5);
  s.to_ms = at(1);
  EXPECT_EQ(run_backtest({a}, s).err().field, "from");
  s.from_ms = at(50);
  s.to_ms.reset();
  EXPECT_NE(run_backtest({a}, s).err().message.find("no candles"), std::string::npos);
  s = plain();
  s.strategy.name = "nope";
  EXPECT_EQ(run_backtest({a}, s).err().field, "strategy.name");
}

}  // namespace
}  // namespace ct::trading
