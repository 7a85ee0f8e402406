#include "trading/backoff.hpp"

#include <algorithm>

namespace ct::trading {

std::chrono::milliseconds next_backoff(unsigned attempt, const backoff_policy& policy) {
  const auto cap = static_cast<double>(policy.max.count());
  double delay = static_cast<double>(policy.initial.count());
  for (unsigned i = 0; i < attempt && delay < cap; ++i)
    delay *= policy.multiplier;
  return std::chrono::milliseconds{static_cast<std::int64_t>(std::min(delay, cap))};
}

}  // namespace ct::trading
