#include "trading/exits.hpp"

namespace ct::trading {

void exit_levels::resume_stop(price stop) {
  if (has_stop_ && stop <= stop_.at)
    return;
  const bool fixed = fixed_stop_ && stop <= *fixed_stop_;
  stop_ = exit_hit{fixed ? exit_reason::stop_loss : exit_reason::trailing_stop, stop};
  has_stop_ = true;
}

}  // namespace ct::trading
