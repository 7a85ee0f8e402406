#include "trading/venue.hpp"

#include "trading/rules.hpp"

namespace ct::trading {

void paper_venue::submit(const market_order& o, std::function<void(result<fill>)> done) {
  const price px = o.side == order_side::buy ? buy_price(o.touch, slippage_ppm_)
                                             : sell_price(o.level.value_or(o.touch), slippage_ppm_);
  done(fill{o.id, o.symbol, o.side, o.qty, px, fee_for(px, o.qty, fee_ppm_), clock_->now()});
}

void lot_checked_venue::submit(const market_order& o, std::function<void(result<fill>)> done) {
  auto it = rules_.find(o.symbol);
  if (it == rules_.end()) {
    inner_->submit(o, std::move(done));
    return;
  }
  auto qty = fit_market_order(it->second, o.qty, o.level.value_or(o.touch));
  if (!qty.ok()) {
    done(make_error(errc::invalid_value, "the exchange's filters refuse it: " + qty.err().message));
    return;
  }
  auto fitted = o;
  fitted.qty = qty.value();
  inner_->submit(fitted, std::move(done));
}

}  // namespace ct::trading
