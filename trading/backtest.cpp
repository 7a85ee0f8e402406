#include "trading/backtest.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <memory>
#include <tuple>
#include <utility>

#include "trading/exits.hpp"

namespace ct::trading {

namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();
constexpr std::uint64_t progress_every = std::uint64_t{1} << 20;
/// Candles between two looks at the cancellation flag: a stop is seen within milliseconds, even
/// on a slow or loaded machine, not only at the progress reports.
constexpr std::uint64_t cancel_check_candles = std::uint64_t{1} << 16;

/// The candles of `series` opening in [from, to), as [begin, end).
std::pair<const candle*, const candle*> in_range(const candle_series& series,
                                                 const backtest_settings& s) {
  const auto& c = series.candles;
  auto opens_before = [](const candle& x, std::int64_t t) { return x.open_time_ms < t; };
  const candle* begin =
      std::lower_bound(c.data(), c.data() + c.size(), s.from_ms.value_or(never), opens_before);
  const candle* end = s.to_ms
                          ? std::lower_bound(c.data(), c.data() + c.size(), *s.to_ms, opens_before)
                          : c.data() + c.size();
  return {begin, std::max(begin, end)};
}

/// One symbol: its candles in range, its strategy, its last signal and its position. The
/// fields every candle reads come first.
struct slot {
  const candle* cur = nullptr;
  const candle* end = nullptr;
  decision pending;  // the strategy's answer to the last candle, for the next open
  bool open = false;
  bool at_step = false;  // has a candle at the current step
  exit_levels levels;
  double qty_d = 0;   // the position's quantity in units, 0 when flat
  double mark_d = 0;  // the last close, in units
  std::int64_t cooldown_until = never;
  const candle* begin = nullptr;
  const candle* warmup = nullptr;  // [warmup, begin): seen by the strategy before the run
  std::unique_ptr<strategy> strat;
  trade pos;  // the open position, as the trade it will become
};

class engine {
public:
  engine(const std::vector<candle_series>& data, const backtest_settings& s,
         const strategy& prototype, backtest_result& out)
      : s_(s), rules_(s.rules), out_(out), cash_(s.starting_cash) {
    for (const auto& series : data) {
      slot sl;
      std::tie(sl.begin, sl.end) = in_range(series, s);
      sl.cur = sl.begin;
      sl.warmup = sl.begin - std::min<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(s.warmup_candles),
                                                      sl.begin - series.candles.data());
      sl.strat = prototype.fresh();
      out_.symbols.push_back(series.symbol);
      for (const auto& g : series.gaps)
        if (sl.begin != sl.end && g.from_ms > sl.begin->open_time_ms &&
            g.from_ms < (sl.end - 1)->open_time_ms)
          out_.gaps.push_back({series.symbol, g});
      per_loop_ += static_cast<std::uint64_t>(sl.end - sl.begin);
      slots_.push_back(std::move(sl));
    }
    entries_.reserve(slots_.size());
  }

  std::uint64_t per_loop() const { return per_loop_; }

  void run() {
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
    peak_ = cash_d_ = cash_.to_double();
    const std::uint64_t total = per_loop_ * s_.loops;
    const auto steps = static_cast<std::uint64_t>(span / step) * s_.loops;
    out_.equity_curve.reserve(static_cast<std::size_t>(steps));
    std::uint64_t next_report = progress_every;
    std::uint64_t next_look = std::min(next_report, cancel_check_candles);
    for (auto& sl : slots_)
      for (const candle* c = sl.warmup; c != sl.begin; ++c)
        sl.pending = sl.strat->on_candle(*c);  // only the last one's signal is still pending
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
    entries_.clear();
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      auto& sl = slots_[i];
      sl.at_step = sl.cur != sl.end && sl.cur->open_time_ms == t;
      if (sl.at_step)
        at_open(i, sl, t);
    }
    if (!entries_.empty())
      enter_all(t);
    const std::int64_t close_ms = t + out_.step_ms + offset_;
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    // The positions' value in units (x a price unit): every slot, a flat one at quantity 0, so
    // that the sum has no branch to mispredict.
    double units = 0;
    for (auto& sl : slots_) {
      if (sl.at_step)
        through_candle(sl, close_ms);
      units += sl.qty_d * sl.mark_d;
      if (sl.cur != sl.end)
        next = std::min(next, sl.cur->open_time_ms);
    }
    mark_equity(close_ms, cash_d_ + units / static_cast<double>(fixed_scale));
    return next;
  }

  /// The pending signal acts (it is replaced at this candle's close, whatever it was).
  void at_open(std::size_t i, slot& sl, std::int64_t t) {
    if (!sl.open) {
      if (sl.pending.signal == signal::buy)
        entries_.push_back(i);
      return;
    }
    const price open = sl.cur->open;
    if (auto hit = sl.levels.at_jump(open)) {
      close_position(sl, t + offset_, hit->at, hit->reason);
      return;
    }
    if (sl.pending.signal == signal::sell)
      close_position(sl, t + offset_, open, exit_reason::signal);
  }

  void enter_all(std::int64_t t) {
    // Strongest first, ties in symbol order; a handful at most, so an insertion sort.
    auto score = [this](std::size_t i) { return slots_[i].pending.score; };
    for (std::size_t k = 1; k < entries_.size(); ++k)
      for (std::size_t j = k; j > 0 && score(entries_[j]) > score(entries_[j - 1]); --j)
        std::swap(entries_[j], entries_[j - 1]);
    const std::int64_t at = t + offset_;
    for (const std::size_t i : entries_) {
      auto& sl = slots_[i];
      if (halted_ || open_count_ >= rules_.max_positions || at < sl.cooldown_until)
        continue;
      const price px = shift_ppm(sl.cur->open, rules_.slippage_ppm, rounding::up);
      const quantity qty = quantity_for(rules_.stake_amount, px, rounding::down);
      if (!qty.is_positive())
        continue;
      const money cost = notional(px, qty, rounding::up);
      const money fee = fee_for(px, qty, rules_.fee_ppm);
      if (cost + fee > cash_)
        continue;
      cash_ -= cost + fee;
      cash_d_ = cash_.to_double();
      sl.open = true;
      sl.pos.symbol = static_cast<std::uint32_t>(i);
      sl.pos.entry_ms = at;
      sl.pos.entry_price = px;
      sl.pos.qty = qty;
      sl.pos.entry_fee = fee;
      sl.levels =
          exit_levels{px, rules_.stop_loss_ppm, rules_.take_profit_ppm, rules_.trailing_stop_ppm};
      sl.qty_d = static_cast<double>(qty.units()) * 1e-8;  // x a close in units: money units
      ++open_count_;
    }
  }

  void through_candle(slot& sl, std::int64_t close_ms) {
    const candle& c = *sl.cur;
    if (sl.open) {
      if (auto hit = walk_path(sl.levels, c))
        close_position(sl, close_ms, hit->at, hit->reason);
      else if (past_time_limit(sl.pos.entry_ms, close_ms, rules_.time_limit_ms))
        close_position(sl, close_ms, c.close, exit_reason::time_limit);
    }
    sl.pending = sl.strat->on_candle(c);
    sl.mark_d = static_cast<double>(c.close.units());
    ++sl.cur;
    ++candles_;
    if (sl.cur == sl.end && final_loop_ && sl.open)
      close_position(sl, close_ms, c.close, exit_reason::end_of_data);
  }

  /// Sells the whole position at `level` less slippage (a stop's exit time is the candle's
  /// close: the report's resolution is the candle).
  void close_position(slot& sl, std::int64_t at, price level, exit_reason why) {
    price px = shift_ppm(level, -rules_.slippage_ppm, rounding::down);
    if (!px.is_positive())
      px = price::from_units(1);
    auto& p = sl.pos;
    p.exit_ms = at;
    p.exit_price = px;
    p.exit_fee = fee_for(px, p.qty, rules_.fee_ppm);
    p.exit_reason = why;
    cash_ += p.proceeds() - p.exit_fee;
    cash_d_ = cash_.to_double();
    out_.trades.push_back(p);
    tally_.add(p.pnl().to_double());
    sl.open = false;
    sl.qty_d = 0;
    if (rules_.cooldown_ms > 0)
      sl.cooldown_until = at + rules_.cooldown_ms;
    --open_count_;
  }

  void mark_equity(std::int64_t close_ms, double equity) {
    out_.equity_curve.push_back({close_ms, equity});
    out_.exposed_points += open_count_ != 0 ? 1 : 0;
    if (equity > peak_) {
      peak_ = equity;
    } else if (!halted_ && rules_.max_drawdown_ppm > 0 &&
               (peak_ - equity) / peak_ * 1e6 >= static_cast<double>(rules_.max_drawdown_ppm)) {
      halted_ = true;
      out_.halted_at_ms = close_ms;
    }
  }

  const backtest_settings& s_;
  const risk_rules& rules_;
  backtest_result& out_;
  std::vector<slot> slots_;
  std::size_t open_count_ = 0;        // slots holding a position
  std::vector<std::size_t> entries_;  // slots with a buy to weigh at this open
  trade_tally tally_;
  money cash_;
  double cash_d_ = 0;  // cash_ as a double, for the equity curve
  std::uint64_t candles_ = 0;
  double peak_ = 0;
  bool halted_ = false;
  std::int64_t offset_ = 0;
  bool final_loop_ = true;
  std::uint64_t per_loop_ = 0;
};

}  // namespace

result<std::vector<candle_series>> select_series(std::vector<candle_series> all,
                                                 const std::vector<std::string>& symbols) {
  if (symbols.empty())
    return all;
  std::vector<candle_series> out;
  for (const auto& sym : symbols) {
    auto it = std::find_if(all.begin(), all.end(),
                           [&](const candle_series& s) { return s.symbol == sym; });
    if (it == all.end())
      return make_error(errc::unknown_symbol,
                        "strategy.symbols names " + sym + ", which no candle file holds",
                        "strategy.symbols");
    out.push_back(std::move(*it));
    all.erase(it);
  }
  return out;
}

std::uint64_t candles_to_backtest(const std::vector<candle_series>& data,
                                  const backtest_settings& settings) {
  std::uint64_t n = 0;
  for (const auto& s : data) {
    const auto [begin, end] = in_range(s, settings);
    n += static_cast<std::uint64_t>(end - begin);
  }
  return n * settings.loops;
}

result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings) {
  auto strat = make_strategy(settings.strategy);
  if (!strat.ok())
    return strat.err();
  return run_backtest(data, settings, *strat.value());
}

namespace {

std::optional<error> check_data(const std::vector<candle_series>& data,
                                const backtest_settings& settings) {
  if (data.empty())
    return error{errc::bad_data, "no candle data to backtest", ""};
  for (const auto& s : data)
    if (s.step_ms != data.front().step_ms)
      return error{errc::bad_data,
                   "candle files differ in timeframe: " + s.symbol + " has " +
                       std::to_string(s.step_ms) + " ms, " + data.front().symbol + " has " +
                       std::to_string(data.front().step_ms) + " ms",
                   ""};
  if (settings.from_ms && settings.to_ms && *settings.from_ms >= *settings.to_ms)
    return error{errc::invalid_value, "--from must be before --to", "from"};
  if (settings.loops < 1)
    return error{errc::invalid_value, "loops must be at least 1", "loops"};
  return std::nullopt;
}

}  // namespace

std::optional<error> check_backtest(const std::vector<candle_series>& data,
                                    const backtest_settings& settings) {
  if (auto bad = check_data(data, settings))
    return bad;
  auto strat = make_strategy(settings.strategy);
  if (!strat.ok())
    return strat.err();
  return std::nullopt;
}

result<backtest_result> run_backtest(const std::vector<candle_series>& data,
                                     const backtest_settings& settings, const strategy& prototype) {
  if (auto bad = check_data(data, settings))
    return *bad;
  const auto started = std::chrono::steady_clock::now();
  backtest_result out;
  out.step_ms = data.front().step_ms;
  out.starting_cash = settings.starting_cash;
  engine e{data, settings, prototype, out};
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

}  // namespace ct::trading
