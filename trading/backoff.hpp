// Exponential backoff: the delay before retry number `attempt` (0 for the first retry) is
// initial x multiplier^attempt, capped at max. Used by the supervisor's restarts and the
// scanner's exchange retries.
#pragma once

#include <chrono>

namespace ct::trading {

struct backoff_policy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{10'000};
  double multiplier = 2.0;
};

std::chrono::milliseconds next_backoff(unsigned attempt, const backoff_policy& policy);

}  // namespace ct::trading
