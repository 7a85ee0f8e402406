#include "trading/exits.hpp"

#include "trading/rules.hpp"

namespace ct::trading {

exit_levels::exit_levels(price entry, std::int64_t stop_loss_ppm, std::int64_t take_profit_ppm,
                         std::int64_t trailing_ppm)
    : fixed_stop_(stop_loss_price(entry, stop_loss_ppm)),
      target_(take_profit_price(entry, take_profit_ppm)),
      trailing_ppm_(trailing_ppm) {
  raise_high(entry);
}

void exit_levels::raise_high(price px) {
  if (px <= high_)
    return;
  high_ = px;
  if (trailing_ppm_ > 0)
    trailing_stop_ = shift_ppm(high_, -trailing_ppm_, rounding::nearest);
}

std::optional<exit_hit> exit_levels::stop() const {
  if (trailing_ppm_ > 0 && (!fixed_stop_ || trailing_stop_ > *fixed_stop_))
    return exit_hit{exit_reason::trailing_stop, trailing_stop_};
  if (fixed_stop_)
    return exit_hit{exit_reason::stop_loss, *fixed_stop_};
  return std::nullopt;
}

std::optional<exit_hit> exit_levels::at_jump(price px) {
  if (auto s = stop(); s && px <= s->at)
    return exit_hit{s->reason, px};
  if (target_ && px >= *target_)
    return exit_hit{exit_reason::take_profit, px};
  raise_high(px);
  return std::nullopt;
}

std::optional<exit_hit> exit_levels::on_move(price from, price to) {
  if (to < from) {
    if (auto s = stop(); s && to <= s->at)
      return exit_hit{s->reason, from <= s->at ? from : s->at};
    return std::nullopt;
  }
  if (target_ && to >= *target_)
    return exit_hit{exit_reason::take_profit, from >= *target_ ? from : *target_};
  raise_high(to);
  return std::nullopt;
}

}  // namespace ct::trading
