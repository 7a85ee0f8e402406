#include "trading/backtest.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <tuple>
#include <utility>

#include "trading/engine.hpp"
#include "trading/strategies.hpp"

namespace ct::trading {

namespace {

constexpr std::int64_t never = engine::never;
constexpr std::uint64_t progress_every = std::uint64_t{1} << 20;
/// Candles between two looks at the cancellation flag: a stop is seen within milliseconds, even
/// on a slow or loaded machine, not only at the progress reports.
constexpr std::uint64_t cancel_check_candles = std::uint64_t{1} << 16;

/// One symbol: its candles in range, its strategy, its state in the engine and its position.
/// The fields every candle reads come first.
template <class Strat>
struct slot {
  const candle* cur = nullptr;
  const candle* end = nullptr;
  Strat* strat = nullptr;  // owned by `owner`
  double qty_d = 0;        // the position's quantity in whole units, 0 when flat
  double mark_d = 0;       // the last close, in units (exact: prices are below 2^53 units)
  money cost;              // the open position's, as trade::cost() gives it
  bool at_step = false;    // has a candle at the current step
  engine::symbol rules;    // kept here, beside the rest, for the hot loop
  const candle* begin = nullptr;
  const candle* warmup = nullptr;  // [warmup, begin): seen by the strategy before the run
  std::unique_ptr<strategy> owner;
  trade pos;  // the open position, as the trade it will become
};

/// Drives the engine over the candles at full speed and fills its decisions on paper: entries
/// at the open plus slippage, exits at their level (or the open) less slippage.
template <class Strat>
class runner {
public:
  runner(const std::vector<candle_series>& data, const backtest_settings& s,
         const strategy& prototype, backtest_result& out)
      : s_(s), engine_(s.rules), out_(out), cash_(s.starting_cash) {
    for (const auto& series : data) {
      slot<Strat> sl;
      std::tie(sl.begin, sl.end) = backtest_range(series, s);
      sl.cur = sl.begin;
      sl.warmup = sl.begin - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(s.warmup_candles),
                                                      sl.begin - series.candles.data());
      sl.owner = prototype.fresh();
      sl.strat = static_cast<Strat*>(sl.owner.get());  // fresh() keeps the type
      out_.symbols.push_back(series.symbol);
      for (const auto& g : series.gaps)
        if (sl.begin != sl.end && g.from_ms > sl.begin->open_time_ms &&
            g.from_ms < (sl.end - 1)->open_time_ms)
          out_.gaps.push_back({series.symbol, g});
      per_loop_ += static_cast<std::uint64_t>(sl.end - sl.begin);
      slots_.push_back(std::move(sl));
    }
    for (auto& sl : slots_)  // where they stay
      engine_.attach(sl.rules);
  }

  std::uint64_t per_loop() const { return per_loop_; }

  [[gnu::noinline]] void run() {
    std::int64_t first = std::numeric_limits<std::int64_t>::max();
    std::int64_t last = never;
    for (const auto& sl : slots_)
      if (sl.begin != sl.end) {
        first = std::min(first, sl.begin->open_time_ms);
        last = std::max(last, (sl.end - 1)->open_time_ms);
      }
    const std::int64_t step = out_.step_ms;
    const std::int64_t span = last - first + step;
    out_.from_ms = first;
    out_.to_ms = first + span * static_cast<std::int64_t>(s_.loops);
    engine_.mark(cash_);  // the drawdown counts from the starting cash
    cash_d_ = cash_.to_double();
    const std::uint64_t total = per_loop_ * s_.loops;
    const auto steps = static_cast<std::uint64_t>(span / step) * s_.loops;
    out_.equity_curve.reserve(static_cast<std::size_t>(steps));
    std::uint64_t next_report = progress_every;
    std::uint64_t next_look = std::min(next_report, cancel_check_candles);
    for (std::size_t i = 0; i < slots_.size(); ++i)
      for (const candle* c = slots_[i].warmup; c != slots_[i].begin; ++c)
        signal_of(slots_[i], *c, c->open_time_ms + step);  // only the last one's is pending
    if (s_.cancel != nullptr && s_.cancel->load(std::memory_order_relaxed)) {
      out_.cancelled = true;  // cancelled before it began
      return;
    }
    for (std::uint64_t loop = 0; loop < s_.loops; ++loop) {
      offset_ = span * static_cast<std::int64_t>(loop);
      final_loop_ = loop + 1 == s_.loops;
      for (auto& sl : slots_)
        sl.cur = sl.begin;
      for (std::int64_t t = first; t <= last;) {
        t = step_at(t);
        if (candles_ < next_look)
          continue;  // one comparison a step: the hot loop stays as it was
        if (candles_ >= next_report) {
          next_report += progress_every;
          if (s_.progress)
            s_.progress(candles_, total);
        }
        if (s_.cancel != nullptr && s_.cancel->load(std::memory_order_relaxed)) {
          out_.cancelled = true;
          out_.candles = candles_;
          return;
        }
        next_look = std::min(next_report, candles_ + cancel_check_candles);
      }
    }
    out_.candles = candles_;
    if (s_.progress)
      s_.progress(candles_, total);
  }

  money cash() const { return cash_; }
  const trade_tally& tally() const { return tally_; }

private:
  /// One step of the clock; returns the next step's time (past `last` when all are done).
  std::int64_t step_at(std::int64_t t) {
    const std::int64_t open_ms = t + offset_;
    for (auto& sl : slots_) {
      sl.at_step = sl.cur != sl.end && sl.cur->open_time_ms == t;
      if (sl.at_step)
        if (auto x = engine_.at_open(sl.rules, open_ms, sl.cur->open))
          fill_exit(*x, sl.cur->open);
    }
    engine_.plan_entries(
        open_ms, cash_, [this](std::size_t i) { return std::optional<price>{slots_[i].cur->open}; },
        [this, open_ms](const entry_decision& e) { fill_entry(e, open_ms); });
    const std::int64_t close_ms = open_ms + out_.step_ms;
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    // The positions' value in money units (for the curve): every slot, a flat one at quantity
    // 0, so that the sum has no branch to mispredict.
    double value = 0;
    for (auto& sl : slots_) {
      if (sl.at_step)
        through_candle(sl, close_ms);
      value += sl.qty_d * sl.mark_d;
      if (sl.cur != sl.end)
        next = std::min(next, sl.cur->open_time_ms);
    }
    mark_equity(close_ms, value);
    return next;
  }

  void signal_of(slot<Strat>& sl, const candle& c, std::int64_t close_ms) {
    const decision d = sl.strat->on_candle(c);
    engine_.on_signal(sl.rules, d.signal, d.score, close_ms);
  }

  void fill_entry(const entry_decision& e, std::int64_t at) {
    auto& sl = slots_[e.symbol];
    cash_ -= e.cost + e.fee;
    engine_.entered(e.symbol, e.px, at);
    sl.pos.symbol = static_cast<std::uint32_t>(e.symbol);
    sl.pos.entry_ms = at;
    sl.pos.entry_price = e.px;
    sl.pos.qty = e.qty;
    sl.pos.entry_fee = e.fee;
    sl.cost = e.cost;
    sl.qty_d = static_cast<double>(e.qty.units()) * 1e-8;  // x a close in units: money units
    cash_d_ = cash_.to_double();
  }

  void through_candle(slot<Strat>& sl, std::int64_t close_ms) {
    const candle& c = *sl.cur;
    if (auto x = engine_.along(sl.rules, c, close_ms))
      fill_exit(*x, c.close);
    signal_of(sl, c, close_ms);
    sl.mark_d = static_cast<double>(c.close.units());
    ++sl.cur;
    ++candles_;
    if (sl.cur == sl.end && final_loop_ && sl.qty_d != 0)
      if (auto x = engine_.exit_now(sl.pos.symbol, close_ms)) {
        x->reason = exit_reason::end_of_data;
        fill_exit(*x, c.close);
      }
  }

  /// Sells the whole position at the exit's level (else `market`) less slippage (a stop's exit
  /// time is the candle's close: the report's resolution is the candle).
  void fill_exit(const exit_order& x, price market) {
    auto& sl = slots_[x.symbol];
    const price px = sell_price(x.at_market() ? market : x.level, s_.rules.slippage_ppm);
    auto& p = sl.pos;
    p.exit_ms = x.at_ms;
    p.exit_price = px;
    p.exit_fee = fee_for(px, p.qty, s_.rules.fee_ppm);
    p.exit_reason = x.reason;
    const money proceeds = p.proceeds();  // once: pnl() would compute it and the cost again
    cash_ += proceeds - p.exit_fee;
    out_.trades.push_back(p);
    tally_.add((proceeds - sl.cost - p.entry_fee - p.exit_fee).to_double());
    sl.qty_d = 0;
    cash_d_ = cash_.to_double();
    engine_.exited(x.symbol, x.at_ms);
  }

  /// One point of the curve, from the positions' `value` in money units (a double: the
  /// report's). The drawdown halt, when the rules have one, sees the equity exactly.
  void mark_equity(std::int64_t close_ms, double value) {
    out_.equity_curve.push_back({close_ms, cash_d_ + value / static_cast<double>(fixed_scale)});
    out_.exposed_points += engine_.taken() != 0 ? 1U : 0U;
    if (engine_.watching_drawdown() && engine_.mark_scaled(exact_equity()))
      out_.halted_at_ms = close_ms;
  }

  /// Cash plus the open positions at their last closes, in money units x fixed_scale.
  int128 exact_equity() const {
    int128 equity = int128{cash_.units()} * fixed_scale;
    for (const auto& sl : slots_)
      if (sl.qty_d != 0)
        equity += int128{sl.pos.qty.units()} * static_cast<std::int64_t>(sl.mark_d);
    return equity;
  }

  const backtest_settings& s_;
  engine engine_;
  backtest_result& out_;
  std::vector<slot<Strat>> slots_;
  trade_tally tally_;
  money cash_;
  double cash_d_ = 0;  // cash_ as a double, for the curve
  std::uint64_t candles_ = 0;
  std::int64_t offset_ = 0;
  bool final_loop_ = true;
  std::uint64_t per_loop_ = 0;
};

}  // namespace

namespace {

/// The run, with the strategies' calls made on `Strat` (inlined when it is a final class).
template <class Strat>
result<backtest_result> run_as(const std::vector<candle_series>& data,
                               const backtest_settings& settings, const strategy& prototype) {
  const auto started = std::chrono::steady_clock::now();
  backtest_result out;
  out.step_ms = data.front().step_ms;
  out.starting_cash = settings.starting_cash;
  runner<Strat> e{data, settings, prototype, out};
  if (e.per_loop() == 0)
    return make_error(errc::bad_data, "no candles in the chosen time range", "from");
  e.run();
  // Every position is closed by the end; a cancelled run reports its last mark instead.
  out.final_equity = out.cancelled && !out.equity_curve.empty()
                         ? money::from_double(out.equity_curve.back().equity)
                         : e.cash();
  out.metrics = compute_metrics(out.starting_cash.to_double(), out.equity_curve, e.tally(),
                                out.exposed_points, out.step_ms, out.from_ms, out.to_ms);
  out.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

template <class Strat>
bool is(const strategy& s) {
  return dynamic_cast<const Strat*>(&s) != nullptr;
}

}  // namespace

result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings, const strategy& prototype) {
  if (auto bad = check_backtest_data(data, settings))
    return *bad;
  // The built-in strategies by their types; any other through the interface.
  if (is<momentum_candles>(prototype))
    return run_as<momentum_candles>(data, settings, prototype);
  if (is<crossover<sma>>(prototype))
    return run_as<crossover<sma>>(data, settings, prototype);
  if (is<crossover<ema>>(prototype))
    return run_as<crossover<ema>>(data, settings, prototype);
  if (is<rsi_reversion>(prototype))
    return run_as<rsi_reversion>(data, settings, prototype);
  return run_as<strategy>(data, settings, prototype);
}

}  // namespace ct::trading
