// The ledger: cash, open positions and closed ones, changed only by fills. Every amount is
// fixed-point and computed once from a fill, so cash, equity and P&L reconcile exactly:
//   cash   = starting cash - sum(open cost + entry fee) + sum(closed realized P&L)
//   equity = cash + sum(open quantity x mark) = starting cash + realized P&L + unrealized P&L
// where an open position's realized P&L is minus its entry fee. A copyable value type.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trading/exchange.hpp"
#include "trading/money.hpp"
#include "trading/time.hpp"

namespace ct::trading {

enum class side { long_side, short_side };

/// Why a position closed; stored as its number, so new reasons go at the end. `end_of_data`
/// closes what a backtest still holds when its candles run out.
enum class exit_reason {
  take_profit,
  stop_loss,
  trailing_stop,
  signal,
  time_limit,
  manual,
  end_of_data
};

const char* to_string(side s);
const char* to_string(exit_reason r);

struct position {
  std::string id;
  std::string symbol;
  trading::side side = side::long_side;
  quantity qty;
  price entry_price;
  money cost;  // qty x entry price, rounded up: what the entry paid before its fee
  money entry_fee;
  price mark;  // the bid: what the position would sell at now
  std::optional<price> stop_loss;
  std::optional<price> take_profit;
  timestamp opened_at{};
  std::int64_t entry_market_ms = 0;  // the market's clock at the entry (0: not known)
  std::string entry_order_id;
  std::string strategy;
  std::string entry_reason;
  // Set when the position closes.
  std::optional<timestamp> closed_at;
  std::int64_t exit_market_ms = 0;  // the market's clock at the exit (0: not known)
  std::optional<trading::exit_reason> exit_reason;
  price exit_price;
  money proceeds;  // qty x exit price, rounded down
  money exit_fee;
  std::string exit_order_id;

  bool is_open() const { return !closed_at.has_value(); }
  /// Value at the mark minus cost while open; zero once closed.
  money unrealized_pnl() const;
  /// Minus the entry fee while open; proceeds - cost - both fees once closed.
  money realized_pnl() const;
};

/// The totals a portfolio keeps besides its positions: with the open positions (and the recent
/// closed ones) they restore it exactly.
struct ledger_totals {
  money starting_cash;
  money cash;
  money closed_realized;
  money fees_paid;
  std::uint64_t closed_count = 0;
  std::uint64_t next_id = 1;
};

class portfolio {
public:
  explicit portfolio(money starting_cash = {}, std::size_t closed_capacity = 10'000);

  money starting_cash() const { return starting_cash_; }
  money cash() const { return cash_; }
  /// Closed positions' P&L plus minus the entry fees of open ones.
  money realized_pnl() const;
  money unrealized_pnl() const;
  money equity() const;
  money fees_paid() const { return fees_paid_; }
  std::uint64_t closed_count() const { return closed_count_; }

  const std::vector<position>& open_positions() const { return open_; }
  /// The most recent closed positions, oldest first (older ones leave memory, not the totals).
  const std::deque<position>& closed_positions() const { return closed_; }
  const position* find_open_by_symbol(std::string_view symbol) const;
  const position* find_open(std::string_view id) const;

  /// Opens a long position from a buy fill; the caller made sure the cash suffices.
  const position& open(const fill& f, std::optional<price> stop_loss,
                       std::optional<price> take_profit, std::string strategy, std::string reason,
                       std::int64_t market_ms = 0);
  /// Closes an open position with a sell fill of its whole quantity, or, with `leave_dust`,
  /// of all but a remainder below the exchange's step (a commission taken in the bought asset
  /// leaves one), which stays on the account, no longer the ledger's: its cost is part of the
  /// position's.
  const position& close(std::string_view id, const fill& f, trading::exit_reason reason,
                        std::int64_t market_ms = 0, bool leave_dust = false);
  /// Records the latest bid of a symbol.
  void mark(std::string_view symbol, price bid);
  /// Moves an open position's stop up to `stop` (a trailing stop); false when it is not higher.
  bool raise_stop(std::string_view id, price stop);

  ledger_totals totals() const;
  /// A portfolio as it was saved: its totals, open positions and recent closed ones (oldest
  /// first).
  static portfolio restore(const ledger_totals& t, std::vector<position> open,
                           std::deque<position> recent_closed,
                           std::size_t closed_capacity = 10'000);

private:
  money starting_cash_;
  money cash_;
  money closed_realized_;
  money fees_paid_;
  std::vector<position> open_;
  std::deque<position> closed_;
  std::size_t closed_capacity_;
  std::uint64_t closed_count_ = 0;
  std::uint64_t next_id_ = 1;
};

}  // namespace ct::trading
