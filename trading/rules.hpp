// Position rules: when to exit, how big to enter, and what a paper fill costs. Pure functions
// over the ledger, shared by the position manager and the backtester.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "trading/exchange.hpp"
#include "trading/portfolio.hpp"
#include "trading/signals.hpp"

namespace ct::trading {

struct risk_rules {
  std::size_t max_positions = 5;
  money stake_amount;                // quote currency spent per entry, before fees
  std::int64_t take_profit_ppm = 0;  // 0: no target
  std::int64_t stop_loss_ppm = 0;    // 0: no stop
  std::int64_t fee_ppm = 0;
  std::int64_t slippage_ppm = 0;
  std::int64_t trailing_stop_ppm = 0;  // 0: none; else the stop follows the high this far below
  std::int64_t time_limit_ms = 0;      // 0: none; else a position closes once this old
  std::int64_t cooldown_ms = 0;        // after an exit, no new entry on that symbol this long
  std::int64_t max_drawdown_ppm = 0;   // 0: none; else new entries halt past this drawdown
};

/// An entry the rules allow: buy `qty` of `symbol`, expecting to pay about `expected_px`.
struct entry_order {
  std::string symbol;
  quantity qty;
  price expected_px;
  double score = 0;
  std::string strategy;
  std::string reason;
};

// Inline, like the fee below: a backtest calls them for each of up to millions of trades.
inline std::optional<price> stop_loss_price(price entry, std::int64_t stop_loss_ppm) {
  if (stop_loss_ppm <= 0)
    return std::nullopt;
  return shift_ppm(entry, -stop_loss_ppm, rounding::nearest);
}

inline std::optional<price> take_profit_price(price entry, std::int64_t take_profit_ppm) {
  if (take_profit_ppm <= 0)
    return std::nullopt;
  return shift_ppm(entry, take_profit_ppm, rounding::nearest);
}

/// A paper fill pays the touch plus slippage: the ask rounded up for a buy, the bid rounded
/// down for a sell.
price paper_fill_price(order_side side, const quote& q, std::int64_t slippage_ppm);

/// The fee on price x quantity, rounded up.
inline money fee_for(price px, quantity qty, std::int64_t fee_ppm) {
  return part_ppm(notional(px, qty, rounding::up), fee_ppm, rounding::up);
}

/// The entries to make now: buy opportunities strongest first, one position per symbol, up to
/// max_positions counting open and `pending` ones, each sized by the stake and funded by cash.
std::vector<entry_order> plan_entries(const portfolio& book, const std::vector<opportunity>& opps,
                                      const std::map<std::string, quote>& quotes,
                                      const risk_rules& rules,
                                      const std::set<std::string>& pending);

}  // namespace ct::trading
