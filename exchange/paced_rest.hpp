// Binance's REST API within its rate limits: every answer says the request weight used in the
// current minute (X-MBX-USED-WEIGHT-1M); near the limit a call waits for the next minute, after
// a 429 nothing is sent before Retry-After has passed (so the address never earns a 418 ban),
// and a 5XX is retried after a pause. Waits go through a cancellable sleep, so a caller that is
// stopping is never held up. Not thread-safe: one per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "exchange/rest_client.hpp"

namespace ct::exchange {

class paced_rest {
public:
  using clock_type = std::chrono::system_clock;
  /// Sleeps until the time given, or less when stopping; returns false when stopping.
  using sleeper = std::function<bool(clock_type::time_point)>;

  paced_rest(rest_client& client, sleeper sleep, int attempts = 6)
      : client_(client), sleep_(std::move(sleep)), attempts_(attempts) {}

  void set_weight_limit(int per_minute) { limit_ = per_minute; }
  int weight_used() const { return used_; }
  int weight_limit() const { return limit_; }
  /// Until when nothing may be sent (a 429's Retry-After); the epoch when nothing holds.
  clock_type::time_point quiet_until() const { return quiet_until_; }

  /// GET `path` of weight `weight`: its answer (any status but 429, 418 and 5XX, which are
  /// retried or become errors naming Binance's code and message).
  result<rest_response> get(const std::string& path, int weight);

private:
  bool before(int weight);
  void after(const rest_response& r);

  rest_client& client_;
  sleeper sleep_;
  int attempts_;
  int limit_ = 1200;
  int used_ = 0;
  clock_type::time_point quiet_until_{};
};

}  // namespace ct::exchange
