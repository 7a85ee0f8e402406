// The backtester on the bundled candles: no look-ahead for every strategy (and a peeking one is
// caught), trades that reconcile with the equity curve, loops, progress and cancellation.
#include <gtest/gtest.h>

#include "bundled_market.hpp"
#include "reference_money.hpp"
#include "trading/backtest.hpp"

namespace ct::trading {
namespace {

std::vector<candle_series> bundled() {
  return test::bundled_series();
}

backtest_settings with(const std::string& name) {
  backtest_settings s;
  s.strategy.name = name;
  s.strategy.momentum_threshold_pct = 0.4;
  s.rules.max_positions = 3;
  s.rules.stake_amount = money::from_double(0.2);
  s.rules.fee_ppm = 1'000;
  s.rules.slippage_ppm = 500;
  s.rules.stop_loss_ppm = 10'000;
  s.rules.take_profit_ppm = 15'000;
  s.rules.trailing_stop_ppm = 8'000;
  s.rules.time_limit_ms = 4 * 3'600'000;
  s.rules.cooldown_ms = 15 * 60'000;
  return s;
}

/// Every candle from open time `from_ms` on gets another future: the same open, then a close
/// `factor` times it (high and low follow).
std::vector<candle_series> other_future(std::vector<candle_series> data, std::int64_t from_ms,
                                        double factor) {
  for (auto& s : data)
    for (auto& c : s.candles)
      if (c.open_time_ms >= from_ms) {
        c.close = price::from_double(c.open.to_double() * factor);
        c.high = std::max(c.open, c.close);
        c.low = std::min(c.open, c.close);
      }
  return data;
}

/// The entries made up to `cut_ms` (inclusive): symbol, time, price and quantity.
std::vector<std::tuple<std::uint32_t, std::int64_t, std::int64_t, std::int64_t>> entries_until(
    const backtest_result& r, std::int64_t cut_ms) {
  std::vector<std::tuple<std::uint32_t, std::int64_t, std::int64_t, std::int64_t>> out;
  for (const auto& t : r.trades)
    if (t.entry_ms <= cut_ms)
      out.emplace_back(t.symbol, t.entry_ms, t.entry_price.units(), t.qty.units());
  std::sort(out.begin(), out.end());
  return out;
}

using runner = std::function<backtest_result(const std::vector<candle_series>&)>;

/// The entries up to `cut_ms` when the candles after it fall, and when they rise: equal when
/// the decisions do not depend on the future.
auto entries_in_two_futures(const std::vector<candle_series>& data, const runner& run,
                            std::int64_t cut_ms) {
  return std::make_pair(entries_until(run(other_future(data, cut_ms, 0.5)), cut_ms),
                        entries_until(run(other_future(data, cut_ms, 1.5)), cut_ms));
}

TEST(BacktestBundledTest, NoStrategySeesTheFuture) {
  const auto data = bundled();
  for (const auto& name : strategy_names()) {
    const auto s = with(name);
    auto run = [&](const std::vector<candle_series>& d) {
      auto r = run_backtest(d, s);
      EXPECT_TRUE(r.ok());
      return std::move(r.value());
    };
    const auto start = data.front().candles.front().open_time_ms;
    for (std::int64_t cut : {1'000, 3'000, 5'000}) {
      const auto [falling, rising] = entries_in_two_futures(data, run, start + cut * 300'000);
      EXPECT_FALSE(falling.empty()) << name;
      EXPECT_EQ(falling, rising) << name << " cut after " << cut << " candles";
    }
  }
}

/// Buys when the next candle closes higher: it reads the data it was given, ahead of time.
class peeking final : public strategy {
public:
  explicit peeking(const candle_series* series) : series_(series) {}
  decision on_candle(const candle& c) override {
    const auto& v = series_->candles;
    auto it = std::upper_bound(v.begin(), v.end(), c.open_time_ms,
                               [](std::int64_t t, const candle& x) { return t < x.open_time_ms; });
    if (it != v.end() && it->close.to_double() > c.close.to_double() * 1.01)
      return {signal::buy, 1};
    return {};
  }
  std::string explain(const decision&) const override { return "peeks"; }
  std::unique_ptr<strategy> fresh() const override { return std::make_unique<peeking>(series_); }
  const char* name() const override { return "peeking"; }

private:
  const candle_series* series_;
};

TEST(BacktestBundledTest, APeekingStrategyIsCaught) {
  const std::vector<candle_series> data{bundled().front()};
  const auto s = with("momentum");
  auto run = [&](const std::vector<candle_series>& d) {
    auto r = run_backtest(d, s, peeking{&d.front()});
    EXPECT_TRUE(r.ok());
    return std::move(r.value());
  };
  const auto start = data.front().candles.front().open_time_ms;
  const auto [falling, rising] = entries_in_two_futures(data, run, start + 3'000 * 300'000);
  EXPECT_FALSE(falling.empty());
  EXPECT_NE(falling, rising);
}

TEST(BacktestBundledTest, TradesReconcileWithTheEquityCurve) {
  const auto data = bundled();
  for (const auto& name : strategy_names()) {
    const auto r = run_backtest(data, with(name));
    ASSERT_TRUE(r.ok());
    const auto& res = r.value();
    ASSERT_FALSE(res.trades.empty()) << name;
    money total;
    const auto fee_ppm = with(name).rules.fee_ppm;
    for (const auto& t : res.trades) {
      EXPECT_EQ(t.entry_fee.units(),
                test::fee_units(t.entry_price.units(), t.qty.units(), fee_ppm));
      EXPECT_EQ(t.exit_fee.units(), test::fee_units(t.exit_price.units(), t.qty.units(), fee_ppm));
      EXPECT_EQ(t.pnl().units(),
                test::notional_units(t.exit_price.units(), t.qty.units(), false) -
                    test::notional_units(t.entry_price.units(), t.qty.units(), true) -
                    t.fee().units());
      total += t.pnl();
    }
    EXPECT_EQ(res.final_equity, res.starting_cash + total) << name;
    EXPECT_DOUBLE_EQ(res.equity_curve.back().equity, res.final_equity.to_double());
    EXPECT_EQ(res.equity_curve.size(), 5'760u);  // one point per step of the common clock
    // Where no trade is near, equity is the starting cash plus what the trades closed made.
    std::size_t checked = 0;
    for (const auto& p : res.equity_curve) {
      bool quiet = true;
      money closed;
      for (const auto& t : res.trades) {
        if (t.entry_ms < p.at_ms + res.step_ms && t.exit_ms > p.at_ms - res.step_ms)
          quiet = false;
        else if (t.exit_ms < p.at_ms)
          closed += t.pnl();
      }
      if (!quiet)
        continue;
      ++checked;
      EXPECT_NEAR(p.equity, (res.starting_cash + closed).to_double(), 1e-12) << name;
    }
    EXPECT_GT(checked, 0u) << name;
  }
}

TEST(BacktestBundledTest, LoopsReplayTheDataOnOneClock) {
  const auto data = bundled();
  auto s = with("momentum");
  const auto once = run_backtest(data, s);
  s.loops = 3;
  std::vector<std::uint64_t> progress;
  s.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 3 * once.value().candles);
    progress.push_back(done);
  };
  const auto thrice = run_backtest(data, s);
  ASSERT_TRUE(thrice.ok());
  EXPECT_EQ(thrice.value().candles, 3 * once.value().candles);
  EXPECT_EQ(thrice.value().equity_curve.size(), 3 * once.value().equity_curve.size());
  EXPECT_EQ(progress.back(), thrice.value().candles);
  const auto& curve = thrice.value().equity_curve;
  for (std::size_t i = 1; i < curve.size(); ++i)
    ASSERT_LT(curve[i - 1].at_ms, curve[i].at_ms);
}

TEST(BacktestBundledTest, ACancelledRunStopsAndSaysSo) {
  auto s = with("momentum");
  s.loops = 100;  // 3.4 million candles
  std::atomic<bool> cancel{false};
  s.cancel = &cancel;
  std::uint64_t flagged_at = 0;
  s.progress = [&](std::uint64_t done, std::uint64_t) {
    flagged_at = done;  // the first report, after 2^20 candles
    cancel = true;
  };
  const auto data = bundled();
  const auto r = run_backtest(data, s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().cancelled);
  // The flag is read every 65,536 candles, not only at the progress reports (every 2^20): a stop
  // is seen within milliseconds however long the run.
  EXPECT_GE(flagged_at, std::uint64_t{1} << 20);
  EXPECT_LT(flagged_at, (std::uint64_t{1} << 20) + data.size());
  EXPECT_LE(r.value().candles, flagged_at + 65'536 + data.size());
}

}  // namespace
}  // namespace ct::trading
