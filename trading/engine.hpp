// The trading engine: every rule that decides when to enter and when to exit, once, for the
// backtester and the live bot alike. It takes market events (a candle's open, a candle that
// closed, a strategy's signal, the account's equity) and answers with decisions (an entry to
// buy, an exit to sell, a halt), each with its reason; its drivers execute them and report the
// fills back (entered, exited, or failed). It owns the rules' state: each symbol's exit levels,
// cooldown and last weighed signal, the slots taken, the equity's peak and the halt. It holds no
// money: cash and positions are the ledger's (portfolio.hpp), and prices come from the driver.
//
// The order of events at one candle, in both drivers:
//   1. at its open: at_open (a stop or target the price jumped past, then a sell signal), then
//      plan_entries (the weighed buys, strongest first, while the rules allow);
//   2. along its path and at its close: along (stops, trailing stop and target at their level,
//      then the time limit);
//   3. the strategy's answer to it: on_signal, acted on at the next open (no look-ahead);
//   4. mark: the equity, whose fall from its peak past max_drawdown halts new entries.
// The live bot scans at a forming candle's open: it walks the candles that closed since its last
// scan (walk: each one's open and path), then steps 1 to 4 at the forming candle's open.
// Pure, single-threaded, no allocation per event: a backtest calls it for every candle.
#pragma once

#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "trading/candles.hpp"
#include "trading/exits.hpp"
#include "trading/money.hpp"
#include "trading/rules.hpp"
#include "trading/strategy.hpp"

namespace ct::trading {

/// Decided: sell the whole position of a symbol. With a level, it fills there less slippage (a
/// stop, a target, the price a gap opened at, a close), as a resting order would; without one
/// (zero), at the market (the bid, the open). 24 bytes: a backtest makes millions.
struct exit_order {
  std::uint32_t symbol = 0;
  exit_reason reason = exit_reason::signal;
  price level;             // zero: at the market
  std::int64_t at_ms = 0;  // market time of the exit: the cooldown counts from it

  bool at_market() const { return level.is_zero(); }
};

/// Decided: buy `qty` of a symbol at about `px` (the touch plus slippage), paying `cost` and
/// `fee`, for its signal.
struct entry_decision {
  std::size_t symbol = 0;
  quantity qty;
  price px;
  money cost;
  money fee;
};

class engine {
public:
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::min();

  /// One symbol's state in the rules, opaque: what a driver holds to spare the hot loop an index
  /// lookup per call (the index overloads below do the lookup).
  class symbol {
    friend class engine;
    // Not char types: a store to one could alias anything, and would cost the hot loop reloads.
    enum class holding { flat, entering, open, leaving };
    enum class wants { none, buy, sell };  // signal's values
    static_assert(static_cast<int>(signal::buy) == static_cast<int>(wants::buy) &&
                      static_cast<int>(signal::sell) == static_cast<int>(wants::sell),
                  "wants mirrors signal");

    holding state = holding::flat;
    wants pending = wants::none;
    std::int64_t signal_ms = never;
    std::int64_t weighed_ms = never;  // the last buy signal weighed
    std::int64_t entry_ms = 0;
    exit_levels levels;
    double score = 0;
    std::int64_t exit_ms = never;    // the last exit, for the cooldown
    std::int64_t walked_ms = never;  // live: the close of the last candle walked; never: not yet
    std::uint32_t index = 0;
  };

  explicit engine(const risk_rules& rules, std::size_t symbols = 0) : rules_(rules) {
    for (std::size_t i = 0; i < symbols; ++i)
      add_symbol();
  }
  // It points at its symbols, some of them its own: not copied, not moved.
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// A new symbol's index (its state kept by the engine).
  std::size_t add_symbol() {
    own_.emplace_back();
    return attach(own_.back());
  }
  /// A symbol whose state the driver keeps (beside its own per-symbol data, for the hot loop):
  /// its index. `s` must outlive the engine and stay where it is.
  std::size_t attach(symbol& s) {
    s.index = static_cast<std::uint32_t>(slots_.size());
    slots_.push_back(&s);
    candidates_.reserve(slots_.size());
    return slots_.size() - 1;
  }
  std::size_t symbols() const { return slots_.size(); }
  /// New rules apply to the next decisions; open positions keep the levels they entered with.
  void set_rules(const risk_rules& rules) { rules_ = rules; }
  const risk_rules& rules() const { return rules_; }

  // Market events.

  /// The strategy's answer to the candle that closed at `signal_ms`: acted on at the next open.
  /// A buy is weighed once, whichever later opens see it again.
  void on_signal(std::size_t i, signal s, double score, std::int64_t signal_ms) {
    on_signal(slot(i), s, score, signal_ms);
  }
  void on_signal(symbol& sl, signal s, double score, std::int64_t signal_ms) {
    sl.pending = static_cast<wants>(s);
    sl.score = score;
    sl.signal_ms = signal_ms;
  }

  /// A candle of symbol `i` opens at `ms` at price `open`: a stop or target the price jumped past
  /// exits there; else a pending sell signal exits at the market. A pending buy is weighed here,
  /// once (when `weigh_buys`: the live bot's on-demand scans leave it for the next periodic one),
  /// and becomes a candidate for plan_entries while the symbol is flat.
  std::optional<exit_order> at_open(std::size_t i, std::int64_t ms, price open,
                                    bool weigh_buys = true) {
    return at_open(slot(i), ms, open, weigh_buys);
  }
  std::optional<exit_order> at_open(symbol& sl, std::int64_t ms, price open,
                                    bool weigh_buys = true) {
    if (sl.state != holding::open) {
      if (sl.pending == wants::buy && weigh_buys && sl.signal_ms > sl.weighed_ms) {
        sl.weighed_ms = sl.signal_ms;
        if (sl.state == holding::flat)
          candidates_.push_back(sl.index);
      }
      return std::nullopt;
    }
    // A buy seen while holding is weighed too (not acted on once the position is gone); without
    // a branch, which a backtest's hot loop could not predict.
    const bool buy = sl.pending == wants::buy && weigh_buys;
    sl.weighed_ms = std::max(sl.weighed_ms, buy ? sl.signal_ms : never);
    if (auto hit = gap(sl, ms, open))
      return hit;
    if (sl.pending == wants::sell)
      return begin_exit(sl, exit_order{sl.index, exit_reason::signal, {}, ms});
    return std::nullopt;
  }

  /// Candle `c` of symbol `i` ran its course, closing at `close_ms`: the stops, the trailing
  /// stop and the target along its path, then the time limit at its close.
  std::optional<exit_order> along(std::size_t i, const candle& c, std::int64_t close_ms) {
    return along(slot(i), c, close_ms);
  }
  std::optional<exit_order> along(symbol& sl, const candle& c, std::int64_t close_ms) {
    if (sl.state != holding::open)
      return std::nullopt;
    if (auto hit = walk_path(sl.levels, c))
      return begin_exit(sl, exit_order{sl.index, hit->reason, hit->at, close_ms});
    if (past_time_limit(sl.entry_ms, close_ms, rules_.time_limit_ms))
      return begin_exit(sl, exit_order{sl.index, exit_reason::time_limit, c.close, close_ms});
    return std::nullopt;
  }

  /// The live bot: the candles of symbol `i` that closed since it last walked them (a restored
  /// position: since `since_ms`, the time its scan asked from), each one's open, path and close.
  std::optional<exit_order> walk(std::size_t i, const std::vector<candle>& closed,
                                 std::int64_t step_ms, std::int64_t since_ms);

  /// The entries to make at `ms`: the candidates at_open weighed, strongest first (ties in
  /// symbol order), one position per symbol, while the rules allow (not halted, a free slot,
  /// out of the cooldown, the stake's quantity positive and funded by `cash`). `touch(i)` is what
  /// a buy of symbol `i` would pay before slippage (empty: no price, no entry); `enter(entry)`
  /// gets each decision, which takes its slot until entered() or entry_failed().
  template <class Touch, class Enter>
  void plan_entries(std::int64_t ms, money cash, Touch&& touch, Enter&& enter) {
    if (candidates_.empty())
      return;
    if (candidates_.size() > 1)
      rank_candidates();
    for (const std::size_t i : candidates_) {
      auto& sl = slot(i);
      if (halted_ || taken_ >= rules_.max_positions || sl.state != holding::flat ||
          (rules_.cooldown_ms > 0 && ms - rules_.cooldown_ms < sl.exit_ms))
        continue;
      const std::optional<price> at = touch(i);
      if (!at)
        continue;
      const price px = buy_price(*at, rules_.slippage_ppm);
      const quantity qty = quantity_for(rules_.stake_amount, px, rounding::down);
      if (!qty.is_positive())
        continue;
      const money cost = notional(px, qty, rounding::up);
      const money fee = fee_for(px, qty, rules_.fee_ppm);
      if (cost + fee > cash)
        continue;
      cash -= cost + fee;
      sl.state = holding::entering;
      ++taken_;
      enter(entry_decision{i, qty, px, cost, fee});
    }
    candidates_.clear();
  }

  /// Whether mark() can halt: a max drawdown is set and entries are not halted already.
  bool watching_drawdown() const { return rules_.max_drawdown_ppm > 0 && !halted_; }
  /// The equity (cash plus the open positions at their marks) as money units x fixed_scale: past
  /// max_drawdown below its peak, new entries halt. True when the halt starts now.
  bool mark_scaled(int128 equity);
  bool mark(money equity) { return mark_scaled(int128{equity.units()} * fixed_scale); }

  bool halted() const { return halted_; }
  /// No new entries until resume() (the live bot, while it is not trading).
  void halt() { halted_ = true; }
  /// New entries again; the drawdown counts from the next mark.
  void resume() {
    halted_ = false;
    has_peak_ = false;
  }

  // What the driver reports back.

  /// The entry decided for symbol `i` filled at `px` at market time `at_ms`.
  void entered(std::size_t i, price px, std::int64_t at_ms);
  void entry_failed(std::size_t i) { free_slot(slot(i)); }
  /// The exit of symbol `i` filled at market time `at_ms`: its cooldown starts.
  void exited(std::size_t i, std::int64_t at_ms) {
    auto& sl = slot(i);
    free_slot(sl);
    sl.exit_ms = std::max(sl.exit_ms, at_ms);
  }
  void exit_failed(std::size_t i) { slot(i).state = holding::open; }
  /// An exit not of the rules' making (the API's close, a stop that closes every position):
  /// the exit order, or empty when the symbol holds nothing or is already leaving.
  std::optional<exit_order> exit_now(std::size_t i, std::int64_t ms);

  // The live bot's restart: what the store kept.

  /// An open position restored: entered at `entry` at market time `entry_ms` (0: not known),
  /// with the stop it had reached; walked from the first batch after the restart.
  void restore_position(std::size_t i, price entry, std::optional<price> stop,
                        std::int64_t entry_ms);
  /// A position of symbol `i` closed at market time `exit_ms` (its cooldown).
  void restore_exit(std::size_t i, std::int64_t exit_ms) {
    slot(i).exit_ms = std::max(slot(i).exit_ms, exit_ms);
  }

  /// The levels of symbol `i`'s position (its stop, once a trailing stop raised it).
  const exit_levels& levels(std::size_t i) const { return slot(i).levels; }
  /// Positions open, entering or leaving.
  std::size_t taken() const { return taken_; }

private:
  using holding = symbol::holding;
  using wants = symbol::wants;

  symbol& slot(std::size_t i) { return *slots_[i]; }
  const symbol& slot(std::size_t i) const { return *slots_[i]; }

  /// A price at an open the position did not live through continuously (the entry's own open
  /// is no gap).
  std::optional<exit_order> gap(symbol& sl, std::int64_t ms, price open) {
    if (ms <= sl.entry_ms)
      return std::nullopt;
    if (auto hit = sl.levels.at_jump(open))
      return begin_exit(sl, exit_order{sl.index, hit->reason, hit->at, ms});
    return std::nullopt;
  }
  std::optional<exit_order> begin_exit(symbol& sl, exit_order x) {
    sl.state = holding::leaving;
    return x;
  }
  void free_slot(symbol& sl) {
    if (sl.state != holding::flat)
      --taken_;
    sl.state = holding::flat;
  }
  /// Strongest first, ties in symbol order; a handful at most, so an insertion sort.
  void rank_candidates();

  risk_rules rules_;
  std::deque<symbol> own_;  // the symbols no driver keeps
  std::vector<symbol*> slots_;
  std::vector<std::size_t> candidates_;  // weighed buys of flat symbols, for plan_entries
  std::size_t taken_ = 0;
  int128 peak_ = 0;
  bool has_peak_ = false;
  bool halted_ = false;
};

}  // namespace ct::trading
