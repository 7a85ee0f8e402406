#include "trading/portfolio.hpp"

#include <algorithm>
#include <stdexcept>

namespace ct::trading {

const char* to_string(side s) {
  return s == side::long_side ? "long" : "short";
}

const char* to_string(exit_reason r) {
  switch (r) {
    case exit_reason::take_profit:
      return "take_profit";
    case exit_reason::stop_loss:
      return "stop_loss";
    case exit_reason::trailing_stop:
      return "trailing_stop";
    case exit_reason::signal:
      return "signal";
    case exit_reason::time_limit:
      return "time_limit";
    case exit_reason::manual:
      return "manual";
    case exit_reason::end_of_data:
      return "end_of_data";
  }
  return "manual";
}

money position::unrealized_pnl() const {
  if (!is_open())
    return {};
  return notional(mark, qty, rounding::down) - cost;
}

money position::realized_pnl() const {
  if (is_open())
    return -entry_fee;
  return proceeds - cost - entry_fee - exit_fee;
}

portfolio::portfolio(money starting_cash, std::size_t closed_capacity)
    : starting_cash_(starting_cash), cash_(starting_cash), closed_capacity_(closed_capacity) {}

money portfolio::realized_pnl() const {
  money total = closed_realized_;
  for (const auto& p : open_)
    total += p.realized_pnl();
  return total;
}

money portfolio::unrealized_pnl() const {
  money total;
  for (const auto& p : open_)
    total += p.unrealized_pnl();
  return total;
}

money portfolio::equity() const {
  money total = cash_;
  for (const auto& p : open_)
    total += notional(p.mark, p.qty, rounding::down);
  return total;
}

const position* portfolio::find_open_by_symbol(std::string_view symbol) const {
  auto it = std::find_if(open_.begin(), open_.end(),
                         [&](const position& p) { return p.symbol == symbol; });
  return it == open_.end() ? nullptr : &*it;
}

const position* portfolio::find_open(std::string_view id) const {
  auto it = std::find_if(open_.begin(), open_.end(), [&](const position& p) { return p.id == id; });
  return it == open_.end() ? nullptr : &*it;
}

const position& portfolio::open(const fill& f, std::optional<price> stop_loss,
                                std::optional<price> take_profit, std::string strategy,
                                std::string reason, std::int64_t market_ms) {
  if (f.side != order_side::buy || !f.qty.is_positive() || !f.px.is_positive())
    throw std::invalid_argument("portfolio::open needs a buy fill of a positive quantity");
  position p;
  p.id = std::to_string(next_id_++);
  p.symbol = f.symbol;
  p.side = side::long_side;
  p.qty = f.qty;
  p.entry_price = f.px;
  p.cost = notional(f.px, f.qty, rounding::up);
  p.entry_fee = f.fee;
  p.mark = f.px;
  p.stop_loss = stop_loss;
  p.take_profit = take_profit;
  p.opened_at = f.at;
  p.entry_market_ms = market_ms;
  p.entry_order_id = f.order_id;
  p.strategy = std::move(strategy);
  p.entry_reason = std::move(reason);
  cash_ -= p.cost + p.entry_fee;
  fees_paid_ += p.entry_fee;
  open_.push_back(std::move(p));
  return open_.back();
}

const position& portfolio::close(std::string_view id, const fill& f, trading::exit_reason reason,
                                 std::int64_t market_ms, bool leave_dust) {
  auto it = std::find_if(open_.begin(), open_.end(), [&](const position& p) { return p.id == id; });
  if (it == open_.end())
    throw std::invalid_argument("portfolio::close: no open position " + std::string{id});
  if (f.side != order_side::sell || f.qty > it->qty || (f.qty != it->qty && !leave_dust))
    throw std::invalid_argument("portfolio::close needs a sell fill of the whole quantity");
  position p = std::move(*it);
  open_.erase(it);
  p.closed_at = f.at;
  p.exit_market_ms = market_ms;
  p.exit_reason = reason;
  p.exit_price = f.px;
  p.mark = f.px;
  p.proceeds = notional(f.px, f.qty, rounding::down);
  p.exit_fee = f.fee;
  p.exit_order_id = f.order_id;
  cash_ += p.proceeds - p.exit_fee;
  fees_paid_ += p.exit_fee;
  closed_realized_ += p.realized_pnl();
  ++closed_count_;
  closed_.push_back(std::move(p));
  if (closed_.size() > closed_capacity_)
    closed_.pop_front();
  return closed_.back();
}

void portfolio::mark(std::string_view symbol, price bid) {
  for (auto& p : open_)
    if (p.symbol == symbol)
      p.mark = bid;
}

bool portfolio::raise_stop(std::string_view id, price stop) {
  for (auto& p : open_)
    if (p.id == id && (!p.stop_loss || stop > *p.stop_loss)) {
      p.stop_loss = stop;
      return true;
    }
  return false;
}

ledger_totals portfolio::totals() const {
  return {starting_cash_, cash_, closed_realized_, fees_paid_, closed_count_, next_id_};
}

portfolio portfolio::restore(const ledger_totals& t, std::vector<position> open,
                             std::deque<position> recent_closed, std::size_t closed_capacity) {
  portfolio p{t.starting_cash, closed_capacity};
  p.cash_ = t.cash;
  p.closed_realized_ = t.closed_realized;
  p.fees_paid_ = t.fees_paid;
  p.closed_count_ = t.closed_count;
  p.next_id_ = t.next_id;
  p.open_ = std::move(open);
  p.closed_ = std::move(recent_closed);
  while (p.closed_.size() > p.closed_capacity_)
    p.closed_.pop_front();
  return p;
}

}  // namespace ct::trading
