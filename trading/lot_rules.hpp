// An exchange's rules for an order's size, as Binance's filters state them: the quantity a step
// of LOT_SIZE (and of MARKET_LOT_SIZE, for a market order), within their minimum and maximum,
// and the notional (price x quantity) at least NOTIONAL's or MIN_NOTIONAL's minimum. Paper
// fills and live orders apply the same rules, so that paper results are what live would do.
#pragma once

#include <string>

#include "trading/money.hpp"
#include "trading/result.hpp"

namespace ct::trading {

/// Zero in any field: no such rule.
struct lot_rules {
  quantity step;         // LOT_SIZE stepSize
  quantity min_qty;      // LOT_SIZE minQty
  quantity max_qty;      // LOT_SIZE maxQty
  quantity market_step;  // MARKET_LOT_SIZE stepSize
  quantity market_min;   // MARKET_LOT_SIZE minQty
  quantity market_max;   // MARKET_LOT_SIZE maxQty
  money min_notional;    // NOTIONAL or MIN_NOTIONAL, when it applies to market orders

  bool operator==(const lot_rules& o) const {
    return step == o.step && min_qty == o.min_qty && max_qty == o.max_qty &&
           market_step == o.market_step && market_min == o.market_min &&
           market_max == o.market_max && min_notional == o.min_notional;
  }
};

/// `qty` rounded down to every step (the exchange takes no fraction of one), or why a market
/// order of it at about `px` is refused: below a minimum quantity, above a maximum or below the
/// minimum notional, with the figures. `px` zero skips the notional check.
result<quantity> fit_market_order(const lot_rules& r, quantity qty, price px);

/// `qty` rounded down to a multiple of `step` (zero: unchanged).
quantity round_down_to(quantity qty, quantity step);

}  // namespace ct::trading
