#include "trading/rules.hpp"

namespace ct::trading {

price paper_fill_price(order_side side, const quote& q, std::int64_t slippage_ppm) {
  if (side == order_side::buy)
    return shift_ppm(q.ask, slippage_ppm, rounding::up);
  auto px = shift_ppm(q.bid, -slippage_ppm, rounding::down);
  return px.is_positive() ? px : price::from_units(1);
}

std::vector<entry_order> plan_entries(const portfolio& book, const std::vector<opportunity>& opps,
                                      const std::map<std::string, quote>& quotes,
                                      const risk_rules& rules,
                                      const std::set<std::string>& pending) {
  std::vector<entry_order> out;
  std::size_t slots_used = book.open_positions().size() + pending.size();
  money cash = book.cash();
  std::set<std::string> taken = pending;
  for (const auto& o : opps) {
    if (slots_used >= rules.max_positions)
      break;
    if (o.action != action::buy || taken.count(o.symbol) != 0 ||
        book.find_open_by_symbol(o.symbol) != nullptr)
      continue;
    auto q = quotes.find(o.symbol);
    if (q == quotes.end())
      continue;
    const price px = paper_fill_price(order_side::buy, q->second, rules.slippage_ppm);
    const quantity qty = quantity_for(rules.stake_amount, px, rounding::down);
    if (!qty.is_positive())
      continue;
    const money needed = notional(px, qty, rounding::up) + fee_for(px, qty, rules.fee_ppm);
    if (needed > cash)
      continue;
    cash -= needed;
    taken.insert(o.symbol);
    ++slots_used;
    out.push_back({o.symbol, qty, px, o.score, o.strategy, o.reason});
  }
  return out;
}

}  // namespace ct::trading
