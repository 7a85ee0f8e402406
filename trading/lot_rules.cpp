#include "trading/lot_rules.hpp"

#include <algorithm>

namespace ct::trading {

quantity round_down_to(quantity qty, quantity step) {
  if (!step.is_positive() || !qty.is_positive())
    return qty;
  return quantity::from_units(qty.units() / step.units() * step.units());
}

result<quantity> fit_market_order(const lot_rules& r, quantity qty, price px) {
  const auto q = round_down_to(round_down_to(qty, r.step), r.market_step);
  const auto min_qty = std::max(r.min_qty, r.market_min);
  if (!q.is_positive() || q < min_qty)
    return make_error(errc::invalid_value, "quantity " + qty.to_string() +
                                               " is below the minimum " +
                                               std::max(min_qty, r.step).to_string() +
                                               " after rounding to the step " + r.step.to_string());
  for (const auto max_qty : {r.max_qty, r.market_max})
    if (max_qty.is_positive() && q > max_qty)
      return make_error(errc::invalid_value, "quantity " + q.to_string() +
                                                 " is above the maximum " + max_qty.to_string());
  if (px.is_positive() && r.min_notional.is_positive()) {
    const auto value = notional(px, q, rounding::down);
    if (value < r.min_notional)
      return make_error(
          errc::invalid_value,
          "notional " + value.to_string() + " is below the minimum " + r.min_notional.to_string());
  }
  return q;
}

}  // namespace ct::trading
