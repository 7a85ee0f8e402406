#include "trading/venue.hpp"

#include "trading/rules.hpp"

namespace ct::trading {

void paper_venue::submit(const market_order& o, std::function<void(result<fill>)> done) {
  const price px = o.side == order_side::buy ? buy_price(o.touch, slippage_ppm_)
                                             : sell_price(o.level.value_or(o.touch), slippage_ppm_);
  done(fill{o.id, o.symbol, o.side, o.qty, px, fee_for(px, o.qty, fee_ppm_), clock_->now()});
}

}  // namespace ct::trading
