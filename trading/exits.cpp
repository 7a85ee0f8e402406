#include "trading/exits.hpp"

#include "trading/rules.hpp"

namespace ct::trading {

exit_levels::exit_levels(price entry, std::int64_t stop_loss_ppm, std::int64_t take_profit_ppm,
                         std::int64_t trailing_ppm)
    : fixed_stop_(stop_loss_price(entry, stop_loss_ppm)), trailing_ppm_(trailing_ppm) {
  if (auto t = take_profit_price(entry, take_profit_ppm)) {
    target_ = *t;
    has_target_ = true;
  }
  if (fixed_stop_) {
    stop_ = exit_hit{exit_reason::stop_loss, *fixed_stop_};
    has_stop_ = true;
  }
  raise_high(entry);
}

void exit_levels::raise_high(price px) {
  high_ = px;
  if (trailing_ppm_ <= 0)
    return;
  const price trailing = shift_ppm(high_, -trailing_ppm_, rounding::nearest);
  if (!fixed_stop_ || trailing > *fixed_stop_) {
    stop_ = exit_hit{exit_reason::trailing_stop, trailing};
    has_stop_ = true;
  }
}

}  // namespace ct::trading
